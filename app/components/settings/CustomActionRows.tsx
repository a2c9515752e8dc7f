import { BlockStack, Box, Button, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";
import { ACTION_PERIODS, type ActionPeriod } from "~/domain/earning-actions";
import { MAX_CUSTOM_ACTIONS } from "~/domain/program";
import { t, type MessageKey } from "~/lib/i18n";
import { getAt, NumberField, type FieldForm } from "./fields";
import { TextInputField } from "./TextInputField";

interface CustomActionDraft {
  name: unknown;
  points: unknown;
  limit: unknown;
  period: unknown;
}

const PERIOD_LABELS: Record<ActionPeriod, MessageKey> = {
  day: "settings.customActions.period.day",
  week: "settings.customActions.period.week",
  month: "settings.customActions.period.month",
  year: "settings.customActions.period.year",
  ever: "settings.customActions.period.ever",
};

/**
 * The program's custom actions (issue #23, ADR 0072): each one's name (what shoppers read and what
 * the Flow action "Add points for a custom action" names), points (0 = off) and limit per member
 * per period, edited as a list like the goals.
 */
export function CustomActionRows({ form }: { form: FieldForm }) {
  const actions = ((form.draft as { customActions?: CustomActionDraft[] }).customActions ??
    []) as CustomActionDraft[];
  const remove = (index: number) =>
    form.set(
      "customActions",
      actions.filter((_, i) => i !== index),
    );
  const add = () =>
    form.set("customActions", [
      ...actions,
      { name: "", points: 50, limit: null, period: "month" } satisfies CustomActionDraft,
    ]);
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {t("settings.customActions.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("settings.customActions.help")}
        </Text>
      </BlockStack>
      {form.errors.customActions ? (
        <Text as="p" tone="critical">
          {form.errors.customActions}
        </Text>
      ) : null}
      {actions.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("settings.customActions.empty")}
        </Text>
      ) : (
        <div role="list" aria-label={t("settings.customActions.title")}>
          <BlockStack gap="300">
            {actions.map((action, index) => {
              const base = `customActions.${index}`;
              const row = { n: index + 1 };
              const noLimit = action.limit === null || action.limit === undefined;
              return (
                <div role="listitem" key={index}>
                  <Box padding="300" borderColor="border" borderWidth="025" borderRadius="200">
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="h4" variant="headingSm">
                          {t("settings.customActions.row", row)}
                        </Text>
                        <Button
                          size="slim"
                          tone="critical"
                          onClick={() => remove(index)}
                          accessibilityLabel={t("settings.customActions.removeLabel", row)}
                        >
                          {t("settings.tiers.remove")}
                        </Button>
                      </InlineStack>
                      <TextInputField
                        form={form}
                        path={`${base}.name`}
                        label={t("settings.customActions.name")}
                        helpText={t("settings.customActions.nameHelp")}
                        maxLength={100}
                      />
                      <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                        <NumberField
                          form={form}
                          path={`${base}.points`}
                          label={t("settings.customActions.points")}
                          helpText={t("settings.customActions.pointsHelp")}
                          suffix={t("settings.points")}
                        />
                        <NumberField
                          form={form}
                          path={`${base}.limit`}
                          label={t("settings.customActions.limit")}
                          helpText={t("settings.customActions.limitHelp")}
                          empty="null"
                        />
                        <Select
                          label={t("settings.customActions.period")}
                          helpText={noLimit ? t("settings.customActions.periodHelp") : undefined}
                          options={ACTION_PERIODS.map((period) => ({
                            label: t(PERIOD_LABELS[period]),
                            value: period,
                          }))}
                          value={String(getAt(form.draft, `${base}.period`) ?? "ever")}
                          onChange={(value) => form.set(`${base}.period`, value)}
                          error={form.errors[`${base}.period`]}
                          disabled={noLimit}
                        />
                      </InlineGrid>
                    </BlockStack>
                  </Box>
                </div>
              );
            })}
          </BlockStack>
        </div>
      )}
      <div>
        <Button onClick={add} disabled={actions.length >= MAX_CUSTOM_ACTIONS}>
          {t("settings.customActions.add")}
        </Button>
      </div>
    </BlockStack>
  );
}
