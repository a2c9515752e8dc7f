import { InlineGrid, Select, TextField } from "@shopify/polaris";
import { t } from "~/lib/i18n";
import type { FieldForm } from "./fields";
import { MoneyField, NumberField } from "./fields";
import { RowCard, RowListSection } from "./RowList";

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
    <RowListSection
      title={t("settings.goals.title")}
      help={t("settings.goals.help")}
      error={form.errors.goals}
      emptyText={t("settings.goals.empty")}
      rowCount={goals.length}
      addLabel={t("settings.goals.add")}
      canAdd={goals.length < MAX_GOALS}
      onAdd={add}
    >
      {goals.map((goal, index) => {
        const base = `goals.${index}`;
        const row = { n: index + 1, id: goal.id };
        return (
          <RowCard
            key={index}
            heading={t("settings.goals.row", row)}
            headingAs="h4"
            removeLabel={t("settings.goals.removeLabel", row)}
            onRemove={() => remove(index)}
          >
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
          </RowCard>
        );
      })}
    </RowListSection>
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
