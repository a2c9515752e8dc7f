import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { CampaignFormCard } from "~/components/campaigns/CampaignFormCard";
import { CampaignTable } from "~/components/campaigns/CampaignTable";
import { FailedGrantsCard } from "~/components/campaigns/FailedGrantsCard";
import type { CampaignGift } from "~/domain/campaigns";
import { t } from "~/lib/i18n";
import type { FieldErrors } from "~/lib/settings/field-errors";
import { adminShop } from "~/lib/settings/route.server";
import { campaignsPage, retryFailedGrant } from "~/services/campaigns/admin.server";
import {
  createCampaign,
  previewCampaign,
  type CampaignInput,
} from "~/services/campaigns/campaign.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  return campaignsPage(shopId);
};

export type CampaignActionResult =
  | { intent: "preview"; ok: true; matching: number; points?: number }
  | { intent: "create"; ok: true; created: boolean; campaignId: string; gives: CampaignGift }
  | { intent: "preview" | "create"; ok: false; errors: FieldErrors }
  | { intent: "retry" | "unknown"; ok: boolean; message: string };

const RETRY_MESSAGES = {
  queued: "campaigns.result.retried",
  already_issued: "campaigns.result.alreadyIssued",
  not_failed: "campaigns.result.notFailed",
} as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopId, t } = await adminShop(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const answer = (result: CampaignActionResult, status = 200) => data(result, { status });
  if (intent === "retry") {
    const grantId = z.uuid().safeParse(form.get("grantId"));
    if (!grantId.success) {
      return answer({ intent, ok: false, message: t("campaigns.result.unreadable") }, 400);
    }
    const outcome = await retryFailedGrant(shopId, grantId.data);
    const ok = outcome !== "not_failed";
    return answer({ intent, ok, message: t(RETRY_MESSAGES[outcome]) }, ok ? 200 : 409);
  }
  if (intent === "preview" || intent === "create") {
    const input = campaignInput(form);
    if (intent === "preview") {
      const preview = await previewCampaign(shopId, input, t);
      return preview.ok ? answer({ intent, ...preview }) : answer({ intent, ...preview }, 400);
    }
    const created = await createCampaign(shopId, input, t);
    return created.ok ? answer({ intent, ...created }) : answer({ intent, ...created }, 400);
  }
  return answer({ intent: "unknown", ok: false, message: t("campaigns.result.unreadable") }, 400);
};

function campaignInput(form: FormData): CampaignInput {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    name: text("name"),
    requestKey: text("requestKey"),
    gives: text("gives"),
    rewardHandle: text("rewardHandle"),
    points: text("points"),
    segment: {
      tierIds: form.getAll("tierIds").filter((v): v is string => typeof v === "string"),
      minPoints: text("minPoints"),
      maxPoints: text("maxPoints"),
      joinedOnOrAfter: text("joinedOnOrAfter"),
      joinedOnOrBefore: text("joinedOnOrBefore"),
    },
  };
}

export default function CampaignsPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const notice =
    result?.intent === "retry" || result?.intent === "unknown"
      ? { tone: result.ok ? ("success" as const) : ("warning" as const), text: result.message }
      : result?.intent === "create" && result.ok
        ? {
            tone: result.created ? ("success" as const) : ("info" as const),
            text: t(
              !result.created
                ? "campaigns.result.duplicate"
                : result.gives === "points"
                  ? "campaigns.result.createdPoints"
                  : "campaigns.result.created",
            ),
          }
        : null;
  return (
    <Page title={t("campaigns.title")} backAction={{ url: "/app", content: t("campaigns.back") }}>
      <TitleBar title={t("campaigns.title")} />
      <Layout>
        {notice ? (
          <Layout.Section>
            <Banner tone={notice.tone}>{notice.text}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("campaigns.intro")}
          </Text>
        </Layout.Section>
        <Layout.Section>
          <CampaignFormCard
            key={result?.intent === "create" && result.ok ? result.campaignId : "new"}
            requestKey={page.requestKey}
            rewards={page.rewards}
            tiers={page.tiers}
            result={result?.intent === "preview" || result?.intent === "create" ? result : null}
          />
        </Layout.Section>
        <Layout.Section>
          <CampaignTable campaigns={page.campaigns} tiers={page.tiers} />
        </Layout.Section>
        <Layout.Section>
          <FailedGrantsCard rows={page.failed} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
