import { Form, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  InlineGrid,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import type { CampaignGift } from "~/domain/campaigns";
import { numberLocale, plural, t } from "~/lib/i18n";

type FormResult =
  | { intent: "preview"; ok: true; matching: number; points?: number }
  | { intent: "create"; ok: true; created: boolean; campaignId: string }
  | { intent: "preview" | "create"; ok: false; errors: Record<string, string> };

interface Fields {
  name: string;
  gives: CampaignGift;
  points: string;
  rewardHandle: string;
  tierIds: string[];
  minPoints: string;
  maxPoints: string;
  joinedOnOrAfter: string;
  joinedOnOrBefore: string;
}

const EMPTY: Omit<Fields, "gives"> = {
  name: "",
  points: "",
  rewardHandle: "",
  tierIds: [],
  minPoints: "",
  maxPoints: "",
  joinedOnOrAfter: "",
  joinedOnOrBefore: "",
};

/** The fields as the action reads them (tiers repeat). */
function HiddenFields({ fields, requestKey }: { fields: Fields; requestKey: string }) {
  return (
    <>
      <input type="hidden" name="requestKey" value={requestKey} />
      {fields.tierIds.map((id) => (
        <input key={id} type="hidden" name="tierIds" value={id} />
      ))}
    </>
  );
}

/**
 * Name, what each member gets (points or a reward) and segment, then "Preview: N members" and only
 * then the button that creates the campaign, carrying exactly the previewed values. Editing a field after the preview hides it.
 * The page mounts a fresh one (a new key) after a campaign was created.
 */
export function CampaignFormCard(props: {
  requestKey: string;
  rewards: { handle: string; name: string }[];
  tiers: { id: string; name: string }[];
  result: FormResult | null;
}) {
  const { result } = props;
  const busy = useNavigation().state !== "idle";
  // A reward as before when the catalog has one to give; points need nothing set up first.
  const [fields, setFields] = useState<Fields>(() => ({
    ...EMPTY,
    gives: props.rewards.length > 0 ? "reward" : "points",
  }));
  const [previewedFor, setPreviewedFor] = useState<string | null>(null);
  const snapshot = JSON.stringify(fields);
  const errors = result && !result.ok ? result.errors : {};
  const set = (key: keyof Fields) => (value: string) => setFields({ ...fields, [key]: value });
  const toggleTier = (id: string, on: boolean) =>
    setFields({
      ...fields,
      tierIds: on ? [...fields.tierIds, id] : fields.tierIds.filter((x) => x !== id),
    });
  const preview = result?.intent === "preview" && result.ok ? result : null;
  const current = preview !== null && previewedFor === snapshot;
  const errorCount = Object.keys(errors).length;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("campaigns.form.heading")}
        </Text>
        {fields.gives === "reward" && props.rewards.length === 0 ? (
          <Banner tone="warning">{t("campaigns.form.noRewards")}</Banner>
        ) : null}
        {errorCount > 0 ? (
          <Banner tone="critical">
            {errors[""] ?? plural("campaigns.form.fixErrors", errorCount)}
          </Banner>
        ) : null}
        <Form method="post" onSubmit={() => setPreviewedFor(snapshot)}>
          <input type="hidden" name="intent" value="preview" />
          <HiddenFields fields={fields} requestKey={props.requestKey} />
          <BlockStack gap="400">
            <TextField
              label={t("campaigns.form.name")}
              name="name"
              value={fields.name}
              onChange={set("name")}
              helpText={t("campaigns.form.nameHelp")}
              error={errors.name}
              autoComplete="off"
            />
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <ChoiceList
                title={t("campaigns.form.gives")}
                name="gives"
                choices={[
                  { label: t("campaigns.form.givesPoints"), value: "points" },
                  { label: t("campaigns.form.givesReward"), value: "reward" },
                ]}
                selected={[fields.gives]}
                onChange={([gives]) =>
                  setFields({ ...fields, gives: gives === "reward" ? "reward" : "points" })
                }
                error={errors.gives}
              />
              {fields.gives === "points" ? (
                <TextField
                  label={t("campaigns.form.points")}
                  name="points"
                  type="number"
                  min={1}
                  step={1}
                  value={fields.points}
                  onChange={set("points")}
                  helpText={t("campaigns.form.pointsHelp")}
                  error={errors.points}
                  autoComplete="off"
                />
              ) : (
                <Select
                  label={t("campaigns.form.reward")}
                  name="rewardHandle"
                  options={[
                    { label: t("campaigns.form.rewardPlaceholder"), value: "" },
                    ...props.rewards.map((r) => ({ label: r.name, value: r.handle })),
                  ]}
                  value={fields.rewardHandle}
                  onChange={set("rewardHandle")}
                  helpText={t("campaigns.form.rewardHelp")}
                  error={errors.rewardHandle}
                />
              )}
            </InlineGrid>
            <Text as="h3" variant="headingSm">
              {t("campaigns.form.segment")}
            </Text>
            <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
              <legend>
                <Text as="span" variant="bodyMd">
                  {t("campaigns.form.tiers")}
                </Text>
              </legend>
              {props.tiers.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("campaigns.form.noTiers")}
                </Text>
              ) : (
                <InlineStack gap="400">
                  {props.tiers.map((tier) => (
                    <Checkbox
                      key={tier.id}
                      label={tier.name}
                      checked={fields.tierIds.includes(tier.id)}
                      onChange={(on) => toggleTier(tier.id, on)}
                    />
                  ))}
                </InlineStack>
              )}
              <Text as="p" tone={errors["segment.tierIds"] ? "critical" : "subdued"}>
                {errors["segment.tierIds"] ?? t("campaigns.form.tiersHelp")}
              </Text>
            </fieldset>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <TextField
                label={t("campaigns.form.minPoints")}
                name="minPoints"
                type="number"
                min={0}
                value={fields.minPoints}
                onChange={set("minPoints")}
                error={errors["segment.minPoints"]}
                autoComplete="off"
              />
              <TextField
                label={t("campaigns.form.maxPoints")}
                name="maxPoints"
                type="number"
                min={0}
                value={fields.maxPoints}
                onChange={set("maxPoints")}
                helpText={t("campaigns.form.maxPointsHelp")}
                error={errors["segment.maxPoints"]}
                autoComplete="off"
              />
              <TextField
                label={t("campaigns.form.joinedOnOrAfter")}
                name="joinedOnOrAfter"
                type="date"
                value={fields.joinedOnOrAfter}
                onChange={set("joinedOnOrAfter")}
                helpText={t("campaigns.form.datesHelp")}
                error={errors["segment.joinedOnOrAfter"]}
                autoComplete="off"
              />
              <TextField
                label={t("campaigns.form.joinedOnOrBefore")}
                name="joinedOnOrBefore"
                type="date"
                value={fields.joinedOnOrBefore}
                onChange={set("joinedOnOrBefore")}
                helpText={t("campaigns.form.datesHelp")}
                error={errors["segment.joinedOnOrBefore"]}
                autoComplete="off"
              />
            </InlineGrid>
            <InlineStack>
              <Button submit loading={busy}>
                {t("campaigns.form.preview")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
        {preview ? (
          <Banner tone={current ? "info" : "warning"}>
            <BlockStack gap="200">
              <Text as="p">
                {!current
                  ? t("campaigns.form.previewStale")
                  : preview.points !== undefined
                    ? t("campaigns.form.previewPoints", {
                        count: preview.matching.toLocaleString(numberLocale()),
                        points: preview.points.toLocaleString(numberLocale()),
                      })
                    : t("campaigns.form.previewResult", { count: preview.matching })}
              </Text>
              {current ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="create" />
                  <HiddenFields fields={fields} requestKey={props.requestKey} />
                  {(
                    [
                      "name",
                      "gives",
                      "points",
                      "rewardHandle",
                      "minPoints",
                      "maxPoints",
                      "joinedOnOrAfter",
                      "joinedOnOrBefore",
                    ] as const
                  ).map((key) => (
                    <input key={key} type="hidden" name={key} value={fields[key]} />
                  ))}
                  <InlineStack>
                    <Button submit variant="primary" loading={busy}>
                      {preview.points !== undefined
                        ? t("campaigns.form.createPoints", {
                            count: preview.matching.toLocaleString(numberLocale()),
                            points: preview.points.toLocaleString(numberLocale()),
                          })
                        : t("campaigns.form.create", { count: preview.matching })}
                    </Button>
                  </InlineStack>
                </Form>
              ) : null}
            </BlockStack>
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}
