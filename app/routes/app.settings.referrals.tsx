import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Checkbox, FormLayout, Select } from "@shopify/polaris";
import { CheckboxField, getAt, MoneyField, NumberField } from "~/components/settings/fields";
import { ReferralRejectionsCard } from "~/components/settings/ReferralRejectionsCard";
import { SettingsShell } from "~/components/settings/SettingsShell";
import { useFormPage } from "~/components/settings/use-form-page";
import { ReferralProgramSchema } from "~/domain/referrals/rules";
import { t } from "~/lib/i18n";
import { adminShop } from "~/lib/settings/route.server";
import { referralSettings, saveReferralSettings } from "~/services/program/catalog-settings.server";
import { programSettings } from "~/services/program/settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  const [settings, { currency }] = await Promise.all([
    referralSettings(shopId),
    programSettings(shopId),
  ]);
  return { ...settings, currency };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopId, t } = await adminShop(request);
  return saveReferralSettings(shopId, (await request.formData()).get("draft"), t);
};

export default function ReferralSettings() {
  const data = useLoaderData<typeof loader>();
  const form = useFormPage(ReferralProgramSchema, data.program);
  const cap = getAt(form.draft, "advocateCap");
  return (
    <SettingsShell
      title={t("settings.referrals.title")}
      description={t("settings.referrals.description")}
      dirty={form.dirty}
      busy={form.busy}
      onSave={form.onSave}
      onDiscard={form.onDiscard}
      saveErrors={form.saveErrors}
      saved={form.savedMessage}
      aside={<ReferralRejectionsCard rejections={data.rejections} />}
    >
      <FormLayout>
        <CheckboxField form={form} path="enabled" label={t("settings.referrals.enabled")} />
        <Select
          label={t("settings.referrals.friendReward")}
          helpText={
            data.rewards.length === 0
              ? t("settings.referrals.noRewards")
              : t("settings.referrals.friendRewardHelp")
          }
          options={[
            { label: t("settings.referrals.noFriendReward"), value: "" },
            ...data.rewards.map((r) => ({
              label: r.enabled ? r.name : t("settings.referrals.rewardOff", { name: r.name }),
              value: r.handle,
            })),
          ]}
          value={String(getAt(form.draft, "friendRewardHandle") ?? "")}
          onChange={(value) => form.set("friendRewardHandle", value === "" ? null : value)}
          error={form.errors.friendRewardHandle}
        />
        <Select
          label={t("settings.referrals.advocateReward")}
          helpText={t("settings.referrals.advocateRewardHelp")}
          options={[
            { label: t("settings.referrals.noAdvocateReward"), value: "" },
            ...data.rewards.map((r) => ({
              label: r.enabled ? r.name : t("settings.referrals.rewardOff", { name: r.name }),
              value: r.handle,
            })),
          ]}
          value={String(getAt(form.draft, "advocateRewardHandle") ?? "")}
          onChange={(value) => form.set("advocateRewardHandle", value === "" ? null : value)}
          error={form.errors.advocateRewardHandle}
        />
        <FormLayout.Group>
          <NumberField
            form={form}
            path="advocatePoints"
            label={t("settings.referrals.advocatePoints")}
            suffix={t("settings.points")}
          />
          <MoneyField
            form={form}
            path="minimumOrderMinor"
            label={t("settings.referrals.minimumOrder")}
            currency={data.currency}
          />
        </FormLayout.Group>
        <Checkbox
          label={t("settings.referrals.cap")}
          checked={cap !== null && cap !== undefined}
          onChange={(on) => form.set("advocateCap", on ? { count: 10, periodDays: 365 } : null)}
        />
        {cap ? (
          <FormLayout.Group>
            <NumberField
              form={form}
              path="advocateCap.count"
              label={t("settings.referrals.capCount")}
            />
            <NumberField
              form={form}
              path="advocateCap.periodDays"
              label={t("settings.referrals.capDays")}
              suffix={t("settings.days")}
            />
          </FormLayout.Group>
        ) : null}
      </FormLayout>
    </SettingsShell>
  );
}
