import {
  BlockStack,
  Box,
  Button,
  InlineGrid,
  InlineStack,
  Text,
  TextField,
} from "@shopify/polaris";
import { t } from "~/lib/i18n";
import type { FieldForm } from "./fields";
import { MoneyField, NumberField } from "./fields";

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
    <div role="list" aria-label={t("settings.tiers.listLabel")}>
      <BlockStack gap="300">
        {tiers.map((tier, index) => {
          const base = `tiers.${index}`;
          const rank = { n: index + 1, name: tier.name || tier.id };
          return (
            <div role="listitem" key={index}>
              <Box padding="300" borderColor="border" borderWidth="025" borderRadius="200">
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      {t("settings.tiers.row", rank)}
                    </Text>
                    <InlineStack gap="200">
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
                      <Button
                        size="slim"
                        tone="critical"
                        onClick={() => remove(index)}
                        accessibilityLabel={t("settings.tiers.removeLabel", rank)}
                      >
                        {t("settings.tiers.remove")}
                      </Button>
                    </InlineStack>
                  </InlineStack>
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
                </BlockStack>
              </Box>
            </div>
          );
        })}
      </BlockStack>
    </div>
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
