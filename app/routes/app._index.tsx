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
import { t } from "~/lib/i18n";
import { dismissOnboarding, onboardingState } from "~/services/home/onboarding.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { fetchShopOverview } from "~/integrations/shopify/shop.server";
import { webhookActivity } from "~/services/home/activity.server";
import { unresolvedDrift } from "~/services/ledger/reconcile.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
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
  return { shop, activity, drift, checklist, dismissed: onboarding.dismissed };
};

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
    <Page title="Loyalty & Rewards">
      <TitleBar title="Loyalty & Rewards" />
      <Layout>
        {drift > 0 && (
          <Layout.Section>
            <Banner tone="critical" title="Points balances need a check">
              <p>
                The nightly check found {drift} member balance(s) that differ from their points
                history. No points were changed; please report this to the app&apos;s maintainers.
              </p>
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
            <Metric label="Members" value={activity.members} />
            <Metric label="Points outstanding" value={activity.outstanding} />
            <Metric label="Events received from Shopify" value={activity.received} />
            <Metric label="Needing attention" value={activity.failing} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {activity.recent.length === 0 ? (
              <EmptyState heading="No store activity yet" image="">
                <p>Orders, refunds and customer sign-ups appear here as Shopify sends them.</p>
              </EmptyState>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={["Event", "Received", "Status"]}
                rows={activity.recent.map((delivery) => [
                  topicLabel(delivery.topic),
                  formatTimestamp(delivery.receivedAt),
                  <DeliveryStatus key={delivery.id} {...delivery} />,
                ])}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function DeliveryStatus(delivery: {
  processedAt: string | Date | null;
  lastError: string | null;
  outcome: string | null;
}) {
  if (delivery.outcome === "rejected") return <Badge tone="critical">Rejected</Badge>;
  if (delivery.outcome === "ignored") return <Badge tone="info">Nothing to apply</Badge>;
  if (delivery.processedAt) return <Badge tone="success">Applied</Badge>;
  if (delivery.lastError) return <Badge tone="warning">Retrying</Badge>;
  return <Badge>Received</Badge>;
}

/** ORDERS_PAID → "Orders paid" */
function topicLabel(topic: string) {
  const words = topic.toLowerCase().split("_").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Same text on the server and in the browser (no locale or time zone), so hydration matches. */
function formatTimestamp(value: string | Date) {
  return new Date(value).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
