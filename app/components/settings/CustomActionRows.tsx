import { InlineGrid, Select } from "@shopify/polaris";
import { ACTION_PERIODS, type ActionPeriod } from "~/domain/earning-actions";
import { MAX_CUSTOM_ACTIONS } from "~/domain/program";
import { t, type MessageKey } from "~/lib/i18n";
import { getAt, NumberField, type FieldForm } from "./fields";
import { RowCard, RowListSection } from "./RowList";
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
    <RowListSection
      title={t("settings.customActions.title")}
      help={t("settings.customActions.help")}
      error={form.errors.customActions}
      emptyText={t("settings.customActions.empty")}
      rowCount={actions.length}
      addLabel={t("settings.customActions.add")}
      canAdd={actions.length < MAX_CUSTOM_ACTIONS}
      onAdd={add}
    >
      {actions.map((action, index) => {
        const base = `customActions.${index}`;
        const row = { n: index + 1 };
        const noLimit = action.limit === null || action.limit === undefined;
        return (
          <RowCard
            key={index}
            heading={t("settings.customActions.row", row)}
            headingAs="h4"
            removeLabel={t("settings.customActions.removeLabel", row)}
            onRemove={() => remove(index)}
          >
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
          </RowCard>
        );
      })}
    </RowListSection>
  );
}
