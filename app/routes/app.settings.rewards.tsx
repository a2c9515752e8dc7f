import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  Box,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { RewardEditor } from "~/components/settings/RewardEditor";
import { REWARD_KINDS } from "~/components/settings/reward-templates";
import { SectionNav } from "~/components/settings/SettingsShell";
import type { RewardKind } from "~/domain/rewards";
import { t, type MessageKey } from "~/lib/i18n";
import { adminShop } from "~/lib/settings/route.server";
import {
  rewardSettings,
  saveRewardSettings,
  toggleReward,
  type FormResult,
} from "~/services/program/catalog-settings.server";
import { programSettings } from "~/services/program/settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  const [rewards, { currency, config }] = await Promise.all([
    rewardSettings(shopId),
    programSettings(shopId),
  ]);
  return { rewards, currency, tiers: config.tiers.map(({ id, name }) => ({ id, name })) };
};

export const action = async ({ request }: ActionFunctionArgs): Promise<FormResult> => {
  const { shopId, t } = await adminShop(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "toggle") {
    return toggleReward(
      shopId,
      String(form.get("handle") ?? ""),
      form.get("enabled") === "true",
      t,
    );
  }
  if (intent === "create" || intent === "edit") {
    const original = form.get("original");
    return saveRewardSettings(
      shopId,
      intent,
      typeof original === "string" ? original : null,
      form.get("draft"),
      t,
    );
  }
  return { ok: false, errors: { "": t("settings.errors.unknownAction") } };
};

export default function RewardSettings() {
  const { rewards, currency, tiers } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const editing = params.get("edit");
  const creating = params.get("new") as RewardKind | null;
  if (creating && REWARD_KINDS.includes(creating)) {
    return (
      <RewardEditor
        key={`new-${creating}`}
        kind={creating}
        rewards={rewards}
        currency={currency}
        tiers={tiers}
      />
    );
  }
  const reward = editing ? rewards.find((r) => r.handle === editing) : undefined;
  if (reward)
    return (
      <RewardEditor
        key={reward.handle}
        reward={reward}
        rewards={rewards}
        currency={currency}
        tiers={tiers}
      />
    );
  return <RewardList rewards={rewards} currency={currency} />;
}

function RewardList({
  rewards,
  currency,
}: {
  rewards: ReturnType<typeof useLoaderData<typeof loader>>["rewards"];
  currency: string;
}) {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [kind, setKind] = useState<RewardKind>("fixed_amount");
  const kindName = (k: string) => t(`reward.kind.${k}` as MessageKey);
  return (
    <Page
      title={t("settings.rewards.title")}
      backAction={{ url: "/app/settings", content: t("settings.title") }}
    >
      <TitleBar title={t("settings.rewards.title")} />
      <Layout>
        <Layout.Section>
          <SectionNav />
        </Layout.Section>
        {result ? (
          <Layout.Section>
            <Banner
              tone={result.ok ? "success" : "critical"}
              title={result.ok ? result.message : (result.errors[""] ?? "")}
            />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="p" tone="subdued">
                {t("settings.rewards.description")}
              </Text>
              <InlineStack gap="200" blockAlign="end">
                <Select
                  label={t("settings.rewards.newKind")}
                  options={REWARD_KINDS.map((k) => ({ label: kindName(k), value: k }))}
                  value={kind}
                  onChange={(value) => setKind(value as RewardKind)}
                />
                <Button variant="primary" url={`/app/settings/rewards?new=${kind}`}>
                  {t("settings.rewards.create")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {rewards.length === 0 ? (
              <Box padding="600">
                <BlockStack gap="200" inlineAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("settings.rewards.empty.heading")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("settings.rewards.empty.body")}
                  </Text>
                </BlockStack>
              </Box>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text", "text"]}
                headings={[
                  t("settings.rewards.column.name"),
                  t("settings.rewards.column.kind"),
                  t("settings.rewards.column.cost"),
                  t("settings.rewards.column.status"),
                  t("settings.rewards.column.actions"),
                ]}
                rows={rewards.map((reward) => [
                  <Link
                    key="name"
                    to={`/app/settings/rewards?edit=${encodeURIComponent(reward.handle)}`}
                  >
                    {reward.name}
                  </Link>,
                  kindName(reward.type),
                  "pointsCost" in reward
                    ? reward.pointsCost.toLocaleString("en")
                    : t("settings.rewards.perStep", { points: reward.pointsPerStep, currency }),
                  <Badge key="status" tone={reward.enabled ? "success" : undefined}>
                    {reward.enabled ? t("settings.rewards.on") : t("settings.rewards.off")}
                  </Badge>,
                  <Form key="toggle" method="post">
                    <input type="hidden" name="intent" value="toggle" />
                    <input type="hidden" name="handle" value={reward.handle} />
                    <input type="hidden" name="enabled" value={reward.enabled ? "false" : "true"} />
                    <Button
                      submit
                      size="slim"
                      loading={busy}
                      accessibilityLabel={t(
                        reward.enabled
                          ? "settings.rewards.disableLabel"
                          : "settings.rewards.enableLabel",
                        { name: reward.name },
                      )}
                    >
                      {reward.enabled
                        ? t("settings.rewards.disable")
                        : t("settings.rewards.enable")}
                    </Button>
                  </Form>,
                ])}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
