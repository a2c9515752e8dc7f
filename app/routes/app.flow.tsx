import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { DeliveryProblemsCard } from "~/components/DeliveryProblemsCard";
import prisma from "~/db.server";
import { flowCatalog, type FlowCatalogEntry } from "~/domain/flow-ideas";
import { requestFlowDelivery } from "~/jobs/flow-delivery.server";
import { resendRecentlySkipped, setFlowEnabled } from "~/services/flow-settings.server";
import { flowStatus, retryFailedFlowTriggers } from "~/services/flow-status.server";
import { recordFlowViewed } from "~/services/onboarding.server";
import { ensureShop } from "~/services/shops.server";
import { authenticate } from "~/shopify.server";

async function shopIdOf(request: Request) {
  const { session } = await authenticate.admin(request);
  return (await ensureShop(prisma, session.shop)).id;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shopId = await shopIdOf(request);
  // The onboarding checklist's "Flow templates viewed" item.
  await recordFlowViewed(shopId);
  return { status: await flowStatus(shopId), catalog: flowCatalog() };
};

type ActionResult = { ok: boolean; message: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const shopId = await shopIdOf(request);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "turn-on":
    case "turn-off": {
      const enabled = form.get("intent") === "turn-on";
      const skipped = await setFlowEnabled(shopId, enabled);
      if (skipped === null) {
        return { ok: true, message: `Flow delivery was already ${enabled ? "on" : "off"}` };
      }
      return enabled
        ? { ok: true, message: "Flow delivery is on. New loyalty events fire your workflows." }
        : {
            ok: true,
            message: `Flow delivery is off. ${skipped} waiting triggers were skipped.`,
          };
    }
    case "resend": {
      const count = await resendRecentlySkipped(shopId);
      await requestFlowDelivery(shopId);
      return { ok: true, message: `${count} skipped triggers from the last 24 hours queued` };
    }
    case "retry": {
      const count = await retryFailedFlowTriggers(shopId);
      await requestFlowDelivery(shopId);
      return { ok: true, message: `${count} failed triggers queued again` };
    }
    default:
      return { ok: false, message: "Unknown action" };
  }
};

export default function FlowPage() {
  const { status, catalog } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { settings, triggers } = status;
  return (
    <Page title="Shopify Flow" backAction={{ url: "/app" }}>
      <TitleBar title="Shopify Flow" />
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Flow delivery
                </Text>
                <Badge tone={settings.enabled ? "success" : "attention"}>
                  {settings.enabled ? "on" : "off"}
                </Badge>
              </InlineStack>
              <Text as="p" tone="subdued">
                {settings.enabled
                  ? "Loyalty events fire the app's Flow triggers within seconds."
                  : "Loyalty events are recorded but fire no Flow trigger. Turning delivery on again does not send the skipped ones."}
                {settings.changedAt
                  ? ` Last changed ${new Date(settings.changedAt).toLocaleString()}.`
                  : ""}
              </Text>
              <InlineStack gap="200">
                <Form method="post">
                  <input
                    type="hidden"
                    name="intent"
                    value={settings.enabled ? "turn-off" : "turn-on"}
                  />
                  <Button
                    submit
                    loading={busy}
                    variant={settings.enabled ? undefined : "primary"}
                    tone={settings.enabled ? "critical" : undefined}
                  >
                    {settings.enabled ? "Turn off" : "Turn on"}
                  </Button>
                </Form>
                {settings.enabled && triggers.resendable > 0 ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="resend" />
                    <Button submit loading={busy}>
                      {`Send ${triggers.resendable} skipped from the last 24 h`}
                    </Button>
                  </Form>
                ) : null}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 6 }} gap="400">
            <Figure label="Delivered" value={triggers.delivered} />
            <Figure label="Waiting" value={triggers.pending} />
            <Figure label="Retrying" value={triggers.retrying} />
            <Figure label="Failed" value={triggers.failed} />
            <Figure label="Skipped" value={triggers.skipped} />
            <Figure label="Oldest waiting" value={`${status.lagSeconds} s`} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <DeliveryProblemsCard
            title="Triggers needing attention"
            problems={status.problems}
            failed={triggers.failed}
            busy={busy}
          />
        </Layout.Section>
        <Layout.Section>
          <CatalogCard
            title="Triggers"
            intro="Start a workflow in Shopify Flow when something happens in the loyalty program. Every trigger carries the customer and these fields."
            entries={catalog.triggers}
          />
        </Layout.Section>
        <Layout.Section>
          <CatalogCard
            title="Actions"
            intro="Change the loyalty program from any workflow. A resent action run never applies twice."
            entries={catalog.actions}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function CatalogCard(props: { title: string; intro: string; entries: FlowCatalogEntry[] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {props.title}
          </Text>
          <Text as="p" tone="subdued">
            {props.intro}
          </Text>
        </BlockStack>
        {props.entries.map((entry) => (
          <BlockStack key={entry.handle} gap="100">
            <Text as="h3" variant="headingSm">
              {entry.name}
            </Text>
            <Text as="p">{entry.description}</Text>
            {entry.fields.length > 0 ? (
              <Text as="p" tone="subdued">
                Fields: {entry.fields.join(", ")}
              </Text>
            ) : null}
            {entry.idea ? (
              <Text as="p" tone="subdued">
                Idea: {entry.idea}
              </Text>
            ) : null}
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: number | string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}
