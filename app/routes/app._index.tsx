import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { Metric } from "~/components/Metric";
import { OnboardingChecklist } from "~/components/OnboardingChecklist";
import prisma from "~/db.server";
import { onboardingChecklist } from "~/domain/onboarding/checklist";
import { hasMessage, plural, t } from "~/lib/i18n";
import { dismissOnboarding, onboardingState } from "~/services/home/onboarding.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { fetchShopOverview } from "~/integrations/shopify/shop.server";
import { webhookActivity } from "~/services/home/activity.server";
import { unresolvedDrift } from "~/services/ledger/reconcile.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session, t } = await authenticate.admin(request);
  const { id: shopId } = await ensureShop(prisma, session.shop);
  const [shop, activity, drift, onboarding] = await Promise.all([
    fetchShopOverview(admin),
    webhookActivity(session.shop),
    unresolvedDrift(session.shop),
    onboardingState(shopId),
  ]);
  const checklist = onboardingChecklist(onboarding.facts, {
    shopDomain: session.shop,
    apiKey: process.env.SHOPIFY_API_KEY ?? "",
  });
  // Times in the shop's time zone and the staff member's language, written here so the page
  // shows the same text before and after hydration.
  const when = shopTimeFormat(t("locale.tag"), shop.ianaTimezone);
  const recent = activity.recent.map(({ receivedAt, ...story }) => ({
    ...story,
    when: when.format(receivedAt),
  }));
  return {
    shop,
    activity: { ...activity, recent },
    drift,
    checklist,
    dismissed: onboarding.dismissed,
  };
};

function shopTimeFormat(localeTag: string, timeZone: string) {
  const style = { dateStyle: "medium", timeStyle: "short" } as const;
  try {
    return new Intl.DateTimeFormat(localeTag, { ...style, timeZone });
  } catch {
    // A zone this runtime does not know: UTC, which the heading then names.
    return new Intl.DateTimeFormat(localeTag, { ...style, timeZone: "UTC" });
  }
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { id: shopId } = await ensureShop(prisma, session.shop);
  const intent = (await request.formData()).get("intent");
  if (intent !== "dismiss-onboarding" && intent !== "show-onboarding") {
    return { ok: false as const };
  }
  await dismissOnboarding(shopId, intent === "dismiss-onboarding");
  return { ok: true as const };
};

export default function Home() {
  const { shop, activity, drift, checklist, dismissed } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const allDone = checklist.every((item) => item.done || !item.known);
  return (
    <Page title={t("home.title")}>
      <TitleBar title={t("home.title")} />
      <Layout>
        {drift > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={t("home.drift.title")}>
              <p>{plural("home.drift.body", drift)}</p>
            </Banner>
          </Layout.Section>
        )}
        {!dismissed && !allDone ? (
          <Layout.Section>
            <OnboardingChecklist items={checklist} busy={busy} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {shop.name}
              </Text>
              <Text as="p" tone="subdued">
                {shop.myshopifyDomain} · {shop.currencyCode} · {shop.ianaTimezone}
              </Text>
              {dismissed && !allDone ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="show-onboarding" />
                  <Button submit variant="plain" loading={busy}>
                    {t("onboarding.show")}
                  </Button>
                </Form>
              ) : null}
              {allDone ? (
                <Text as="p" tone="success">
                  {t("onboarding.allDone")}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Metric label={t("home.metric.members")} value={activity.members} />
            <Metric label={t("home.metric.outstanding")} value={activity.outstanding} />
            <Metric label={t("home.metric.received")} value={activity.received} />
            <Metric label={t("home.metric.failing")} value={activity.failing} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {activity.recent.length === 0 ? (
              <EmptyState heading={t("home.activity.emptyHeading")} image="">
                <p>{t("home.activity.emptyBody")}</p>
              </EmptyState>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text", "text"]}
                headings={[
                  t("home.activity.event"),
                  t("home.activity.customer"),
                  t("home.activity.points"),
                  t("home.activity.when", { zone: shop.ianaTimezone }),
                  t("home.activity.status"),
                ]}
                rows={activity.recent.map((story) => [
                  storyTitle(story.topic, story.orderName),
                  story.customer ?? "—",
                  story.points === null ? "—" : signedPoints(story.points),
                  story.when,
                  <StoryState key={story.id} state={story.state} />,
                ])}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const STATE_TONES = {
  rejected: "critical",
  ignored: "info",
  applied: "success",
  retrying: "warning",
  received: undefined,
} as const;

function StoryState({ state }: { state: keyof typeof STATE_TONES }) {
  return <Badge tone={STATE_TONES[state]}>{t(`home.activity.state.${state}`)}</Badge>;
}

/** "Order paid · #1024"; a topic the app has no words for reads as Shopify names it. */
function storyTitle(topic: string, orderName: string | null) {
  const key = `webhook.topic.${topic}`;
  const label = hasMessage(key) ? t(key) : topic.toLowerCase().replaceAll("_", " ");
  return orderName ? `${label} · ${orderName}` : label;
}

function signedPoints(points: number) {
  const sign = points > 0 ? "+" : points < 0 ? "−" : "";
  return plural("home.activity.pointsValue", Math.abs(points), { sign });
}
