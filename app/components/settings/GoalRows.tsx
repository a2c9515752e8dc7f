import {
  BlockStack,
  Box,
  Button,
  InlineGrid,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { t } from "~/lib/i18n";
import type { FieldForm } from "./fields";
import { MoneyField, NumberField } from "./fields";

export type GoalDraft =
  | { id: string; kind: "order_count"; count: unknown; points: unknown }
  | { id: string; kind: "spend"; minor: unknown; windowDays: unknown; points: unknown };

/** At most this many goals (GoalListSchema). */
const MAX_GOALS = 10;

/**
 * The program's goals (issue #23): bonus points once per member for the Nth order or for a spend
 * goal within a window, edited as a list like the tiers.
 */
export function GoalRows({ form, currency }: { form: FieldForm; currency: string }) {
  const goals = ((form.draft as { goals?: GoalDraft[] }).goals ?? []) as GoalDraft[];
  const remove = (index: number) =>
    form.set(
      "goals",
      goals.filter((_, i) => i !== index),
    );
  const setKind = (index: number, kind: GoalDraft["kind"]) => {
    const goal = goals[index]!;
    form.set(`goals.${index}`, fresh(kind, goal.id, goal.points));
  };
  const add = () => form.set("goals", [...goals, fresh("order_count", nextId(goals), 100)]);
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {t("settings.goals.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("settings.goals.help")}
        </Text>
      </BlockStack>
      {form.errors.goals ? (
        <Text as="p" tone="critical">
          {form.errors.goals}
        </Text>
      ) : null}
      {goals.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("settings.goals.empty")}
        </Text>
      ) : (
        <div role="list" aria-label={t("settings.goals.title")}>
          <BlockStack gap="300">
            {goals.map((goal, index) => {
              const base = `goals.${index}`;
              const row = { n: index + 1, id: goal.id };
              return (
                <div role="listitem" key={index}>
                  <Box padding="300" borderColor="border" borderWidth="025" borderRadius="200">
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="h4" variant="headingSm">
                          {t("settings.goals.row", row)}
                        </Text>
                        <Button
                          size="slim"
                          tone="critical"
                          onClick={() => remove(index)}
                          accessibilityLabel={t("settings.goals.removeLabel", row)}
                        >
                          {t("settings.tiers.remove")}
                        </Button>
                      </InlineStack>
                      <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
                        <Select
                          label={t("settings.goals.kind")}
                          options={[
                            { label: t("settings.goals.kind.orderCount"), value: "order_count" },
                            { label: t("settings.goals.kind.spend"), value: "spend" },
                          ]}
                          value={goal.kind}
                          onChange={(value) => setKind(index, value as GoalDraft["kind"])}
                        />
                        <TextField
                          label={t("settings.tiers.id")}
                          helpText={t("settings.goals.idHelp")}
                          value={goal.id}
                          onChange={(value) => form.set(`${base}.id`, value)}
                          error={form.errors[`${base}.id`]}
                          autoComplete="off"
                        />
                        <NumberField
                          form={form}
                          path={`${base}.points`}
                          label={t("settings.goals.points")}
                          suffix={t("settings.points")}
                        />
                        {goal.kind === "order_count" ? (
                          <NumberField
                            form={form}
                            path={`${base}.count`}
                            label={t("settings.goals.count")}
                            helpText={t("settings.goals.countHelp")}
                          />
                        ) : (
                          <>
                            <MoneyField
                              form={form}
                              path={`${base}.minor`}
                              label={t("settings.goals.minor")}
                              helpText={t("settings.goals.minorHelp")}
                              currency={currency}
                            />
                            <NumberField
                              form={form}
                              path={`${base}.windowDays`}
                              label={t("settings.goals.windowDays")}
                              suffix={t("settings.days")}
                            />
                          </>
                        )}
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
        <Button onClick={add} disabled={goals.length >= MAX_GOALS}>
          {t("settings.goals.add")}
        </Button>
      </div>
    </BlockStack>
  );
}

function fresh(kind: GoalDraft["kind"], id: string, points: unknown): GoalDraft {
  return kind === "order_count"
    ? { id, kind, count: 3, points }
    : { id, kind, minor: 100_00, windowDays: 30, points };
}

function nextId(goals: GoalDraft[]): string {
  for (let n = goals.length + 1; ; n++) {
    const id = `goal-${n}`;
    if (!goals.some((goal) => goal.id === id)) return id;
  }
}
