import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, FormLayout, Select, Text } from "@shopify/polaris";
import { CustomActionRows } from "~/components/settings/CustomActionRows";
import { getAt, NumberField, type FieldForm } from "~/components/settings/fields";
import { GoalRows } from "~/components/settings/GoalRows";
import { ProgramSectionPage } from "~/components/settings/ProgramSectionPage";
import { TextInputField } from "~/components/settings/TextInputField";
import {
  profileLinkExample,
  SOCIAL_NETWORK_NAMES,
  SOCIAL_NETWORKS,
} from "~/domain/earning-actions";
import { t, type MessageKey } from "~/lib/i18n";
import { adminShop, programSectionAction, programSectionLoader } from "~/lib/settings/route.server";
import { listRewards } from "~/services/rewards/catalog.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const [program, { shopId }] = await Promise.all([
    programSectionLoader(request),
    adminShop(request),
  ]);
  const rewards = await listRewards(shopId);
  return {
    ...program,
    // Rewards the merchant can grant without points (welcome, birthday, tier entry).
    rewards: rewards.map((r) => ({
      handle: r.definition.handle,
      name: r.definition.name,
      enabled: r.definition.enabled,
    })),
  };
};
export const action = ({ request }: ActionFunctionArgs) => programSectionAction(request, "bonuses");

type Rewards = Awaited<ReturnType<typeof loader>>["rewards"];

function RewardSelect(props: {
  form: FieldForm;
  path: string;
  label: MessageKey;
  rewards: Rewards;
}) {
  const { form, path, rewards } = props;
  return (
    <Select
      label={t(props.label)}
      helpText={
        rewards.length === 0 ? t("settings.bonuses.noRewards") : t("settings.bonuses.rewardHelp")
      }
      options={[
        { label: t("settings.bonuses.noReward"), value: "" },
        ...rewards.map((r) => ({
          label: r.enabled ? r.name : t("settings.referrals.rewardOff", { name: r.name }),
          value: r.handle,
        })),
      ]}
      value={String(getAt(form.draft, path) ?? "")}
      onChange={(value) => form.set(path, value === "" ? null : value)}
      error={form.errors[path]}
    />
  );
}

export default function BonusSettings() {
  const { rewards } = useLoaderData<typeof loader>();
  return (
    <ProgramSectionPage
      section="bonuses"
      title={t("settings.bonuses.title")}
      description={t("settings.bonuses.description")}
    >
      {(form) => (
        <FormLayout>
          <NumberField
            form={form}
            path="bonuses.welcomePoints"
            label={t("settings.bonuses.welcome")}
            helpText={t("settings.bonuses.welcomeHelp")}
            suffix={t("settings.points")}
          />
          <RewardSelect
            form={form}
            path="bonuses.welcomeRewardHandle"
            label="settings.bonuses.welcomeReward"
            rewards={rewards}
          />
          <NumberField
            form={form}
            path="bonuses.birthdayPoints"
            label={t("settings.bonuses.birthday")}
            helpText={t("settings.bonuses.birthdayHelp")}
            suffix={t("settings.points")}
          />
          <RewardSelect
            form={form}
            path="bonuses.birthdayRewardHandle"
            label="settings.bonuses.birthdayReward"
            rewards={rewards}
          />
          <NumberField
            form={form}
            path="bonuses.anniversaryPoints"
            label={t("settings.bonuses.anniversary")}
            helpText={t("settings.bonuses.anniversaryHelp")}
            suffix={t("settings.points")}
          />
          <NumberField
            form={form}
            path="bonuses.newsletterPoints"
            label={t("settings.bonuses.newsletter")}
            helpText={t("settings.bonuses.newsletterHelp")}
            suffix={t("settings.points")}
          />
          <RewardSelect
            form={form}
            path="bonuses.tierEntryRewardHandle"
            label="settings.bonuses.tierEntryReward"
            rewards={rewards}
          />
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t("settings.bonuses.social")}
            </Text>
            <Text as="p" tone="subdued">
              {t("settings.bonuses.socialHelp")}
            </Text>
          </BlockStack>
          {SOCIAL_NETWORKS.map((network) => {
            const name = SOCIAL_NETWORK_NAMES[network];
            return (
              <FormLayout.Group key={network}>
                <TextInputField
                  form={form}
                  path={`bonuses.social.${network}.url`}
                  label={t("settings.bonuses.socialUrl", { network: name })}
                  helpText={t("settings.bonuses.socialUrlHelp", {
                    example: profileLinkExample(network, t("settings.bonuses.socialHandleExample")),
                  })}
                  maxLength={300}
                />
                <NumberField
                  form={form}
                  path={`bonuses.social.${network}.points`}
                  label={t("settings.bonuses.socialPoints", { network: name })}
                  suffix={t("settings.points")}
                />
              </FormLayout.Group>
            );
          })}
          <CustomActionRows form={form} />
          <GoalRows form={form} currency={form.data.currency} />
        </FormLayout>
      )}
    </ProgramSectionPage>
  );
}
