import { Button, InlineGrid, TextField } from "@shopify/polaris";
import { t } from "~/lib/i18n";
import type { FieldForm } from "./fields";
import { MoneyField, NumberField } from "./fields";
import { RowCard, RowList } from "./RowList";

export interface TierDraft {
  id: string;
  name: string;
  threshold: { kind: "spend_365d"; minor: unknown } | { kind: "lifetime_points"; points: unknown };
  maintainMinor?: unknown;
  maintainPoints?: unknown;
  earnMultiplier: unknown;
  entryBonusPoints: unknown;
}

interface Props {
  form: FieldForm;
  tiers: TierDraft[];
  kind: "spend_365d" | "lifetime_points";
  currency: string;
}

/** The tier table: one row per tier, lowest first; move up/down changes the rank. */
export function TierRows({ form, tiers, kind, currency }: Props) {
  const move = (from: number, to: number) => {
    const next = [...tiers];
    const [row] = next.splice(from, 1);
    next.splice(to, 0, row!);
    form.set("tiers", next);
  };
  const remove = (index: number) =>
    form.set(
      "tiers",
      tiers.filter((_, i) => i !== index),
    );
  return (
    <RowList label={t("settings.tiers.listLabel")}>
      {tiers.map((tier, index) => {
        const base = `tiers.${index}`;
        const rank = { n: index + 1, name: tier.name || tier.id };
        return (
          <RowCard
            key={index}
            heading={t("settings.tiers.row", rank)}
            headingAs="h3"
            removeLabel={t("settings.tiers.removeLabel", rank)}
            onRemove={() => remove(index)}
            actions={
              <>
                <Button
                  size="slim"
                  onClick={() => move(index, index - 1)}
                  disabled={index === 0}
                  accessibilityLabel={t("settings.tiers.upLabel", rank)}
                >
                  {t("settings.tiers.up")}
                </Button>
                <Button
                  size="slim"
                  onClick={() => move(index, index + 1)}
                  disabled={index === tiers.length - 1}
                  accessibilityLabel={t("settings.tiers.downLabel", rank)}
                >
                  {t("settings.tiers.down")}
                </Button>
              </>
            }
          >
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
              <TextField
                label={t("settings.tiers.name")}
                value={tier.name}
                onChange={(value) => form.set(`${base}.name`, value)}
                error={form.errors[`${base}.name`]}
                autoComplete="off"
              />
              <TextField
                label={t("settings.tiers.id")}
                helpText={t("settings.tiers.idHelp")}
                value={tier.id}
                onChange={(value) => form.set(`${base}.id`, value)}
                error={form.errors[`${base}.id`]}
                autoComplete="off"
              />
              {kind === "spend_365d" ? (
                <MoneyField
                  form={thresholdForm(form, base)}
                  path={`${base}.threshold.minor`}
                  label={t("settings.tiers.spend")}
                  currency={currency}
                />
              ) : (
                <NumberField
                  form={thresholdForm(form, base)}
                  path={`${base}.threshold.points`}
                  label={t("settings.tiers.points")}
                  suffix={t("settings.points")}
                />
              )}
              {kind === "spend_365d" ? (
                <MoneyField
                  form={form}
                  path={`${base}.maintainMinor`}
                  label={t("settings.tiers.maintainSpend")}
                  helpText={t("settings.tiers.maintainHelp")}
                  currency={currency}
                  empty="absent"
                />
              ) : (
                <NumberField
                  form={form}
                  path={`${base}.maintainPoints`}
                  label={t("settings.tiers.maintainPoints")}
                  helpText={t("settings.tiers.maintainHelp")}
                  empty="absent"
                />
              )}
              <NumberField
                form={form}
                path={`${base}.earnMultiplier`}
                label={t("settings.tiers.multiplier")}
                suffix="×"
              />
              <NumberField
                form={form}
                path={`${base}.entryBonusPoints`}
                label={t("settings.tiers.entryBonus")}
                suffix={t("settings.points")}
              />
            </InlineGrid>
          </RowCard>
        );
      })}
    </RowList>
  );
}

/** Threshold errors land on the threshold object ("higher than the tier before"): show them on its field. */
function thresholdForm(form: FieldForm, base: string): FieldForm {
  const own = form.errors[`${base}.threshold`];
  if (!own) return form;
  const errors = { ...form.errors };
  for (const key of ["minor", "points"]) errors[`${base}.threshold.${key}`] ??= own;
  return { ...form, errors };
}
