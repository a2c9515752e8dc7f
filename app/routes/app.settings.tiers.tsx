import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Banner, BlockStack, Button, FormLayout, Select, Text } from "@shopify/polaris";
import { NumberField } from "~/components/settings/fields";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { TierRows, type TierDraft } from "~/components/settings/TierRows";
import { t } from "~/lib/i18n";
import { programSectionAction, programSectionLoader } from "~/lib/settings/route.server";

export const loader = ({ request }: LoaderFunctionArgs) => programSectionLoader(request);
export const action = ({ request }: ActionFunctionArgs) => programSectionAction(request, "tiers");

type Kind = "spend_365d" | "lifetime_points";

export default function TierSettings() {
  return (
    <ProgramSectionPage
      section="tiers"
      title={t("settings.tiers.title")}
      description={t("settings.tiers.description")}
    >
      {(form) => {
        const tiers = ((form.draft as { tiers?: TierDraft[] }).tiers ?? []) as TierDraft[];
        const kind: Kind = tiers[0]?.threshold.kind ?? "lifetime_points";
        const savedTiers = (form.data.config as { tiers: TierDraft[] }).tiers;
        const savedKind: Kind | undefined = savedTiers[0]?.threshold.kind;
        // Points and money are different units: a switch never reinterprets a number (150
        // points are not $1.50). Thresholds are asked for again, or come back as they were
        // saved when the merchant switches back.
        const setKind = (next: Kind) =>
          form.set(
            "tiers",
            tiers.map((tier) => {
              const saved = savedTiers.find((candidate) => candidate.id === tier.id);
              if (next === savedKind && saved) {
                return {
                  ...tier,
                  threshold: saved.threshold,
                  maintainMinor: saved.maintainMinor,
                  maintainPoints: saved.maintainPoints,
                };
              }
              return {
                ...tier,
                threshold: { kind: next },
                maintainMinor: undefined,
                maintainPoints: undefined,
              };
            }),
          );
        const measureChanged = savedKind !== undefined && savedKind !== kind;
        const add = () => {
          const last = tiers[tiers.length - 1];
          const bar = (last ? valueOf(last) : 0) + (kind === "spend_365d" ? 50_000 : 500);
          form.set("tiers", [
            ...tiers,
            {
              id: `tier-${tiers.length + 1}`,
              name: "",
              threshold: kind === "spend_365d" ? { kind, minor: bar } : { kind, points: bar },
              earnMultiplier: 1,
              entryBonusPoints: 0,
            },
          ]);
        };
        return (
          <BlockStack gap="400">
            <FormLayout>
              <FormLayout.Group>
                <Select
                  label={t("settings.tiers.kind")}
                  options={[
                    { label: t("settings.tiers.kind.points"), value: "lifetime_points" },
                    { label: t("settings.tiers.kind.spend"), value: "spend_365d" },
                  ]}
                  value={kind}
                  onChange={(value) => setKind(value as Kind)}
                />
                <NumberField
                  form={form}
                  path="tierRules.periodDays"
                  label={t("settings.tiers.periodDays")}
                  helpText={t("settings.tiers.periodDaysHelp")}
                  suffix={t("settings.days")}
                />
              </FormLayout.Group>
            </FormLayout>
            {measureChanged ? (
              <Banner tone="warning" title={t("settings.tiers.measureChanged.title")}>
                <p>
                  {t(
                    kind === "spend_365d"
                      ? "settings.tiers.measureChanged.toSpend"
                      : "settings.tiers.measureChanged.toPoints",
                    { currency: form.data.currency },
                  )}
                </p>
              </Banner>
            ) : null}
            {form.errors.tiers ? (
              <Text as="p" tone="critical">
                {form.errors.tiers}
              </Text>
            ) : null}
            {tiers.length === 0 ? (
              <Text as="p" tone="subdued">
                {t("settings.tiers.empty")}
              </Text>
            ) : (
              <TierRows form={form} tiers={tiers} kind={kind} currency={form.data.currency} />
            )}
            <div>
              <Button onClick={add} disabled={tiers.length >= 20}>
                {t("settings.tiers.add")}
              </Button>
            </div>
          </BlockStack>
        );
      }}
    </ProgramSectionPage>
  );
}

function valueOf(tier: TierDraft): number {
  const threshold = tier.threshold as { minor?: unknown; points?: unknown };
  const value = threshold.minor ?? threshold.points;
  return typeof value === "number" ? value : 0;
}
