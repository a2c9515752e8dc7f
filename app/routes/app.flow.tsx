import { adminShop } from "~/lib/settings/route.server";
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
import { Metric } from "~/components/Metric";
import { flowCatalog, type FlowCatalogEntry } from "~/domain/flow-ideas";
import { requestFlowDelivery } from "~/jobs/queues/send.server";
import { t } from "~/lib/i18n";
import { resendRecentlySkipped, setFlowEnabled } from "~/services/flow/settings.server";
import { flowStatus, retryFailedFlowTriggers } from "~/services/flow/status.server";
import { recordFlowViewed } from "~/services/home/onboarding.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  // The onboarding checklist's "Flow templates viewed" item.
  await recordFlowViewed(shopId);
  return { status: await flowStatus(shopId), catalog: flowCatalog() };
};

type ActionResult = { ok: boolean; message: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shopId, t } = await adminShop(request);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "turn-on":
    case "turn-off": {
      const enabled = form.get("intent") === "turn-on";
      const skipped = await setFlowEnabled(shopId, enabled);
      if (skipped === null) {
        return {
          ok: true,
          message: t(enabled ? "flow.result.alreadyOn" : "flow.result.alreadyOff"),
        };
      }
      return {
        ok: true,
        message: enabled ? t("flow.result.on") : t("flow.result.off", { count: skipped }),
      };
    }
    case "resend": {
      const count = await resendRecentlySkipped(shopId);
      await requestFlowDelivery(shopId);
      return { ok: true, message: t("flow.result.resent", { count }) };
    }
    case "retry": {
      const count = await retryFailedFlowTriggers(shopId);
      await requestFlowDelivery(shopId);
      return { ok: true, message: t("flow.result.retried", { count }) };
    }
    default:
      return { ok: false, message: t("flow.result.unknown") };
  }
};

export default function FlowPage() {
  const { status, catalog } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { settings, triggers } = status;
  return (
    <Page title={t("flow.title")} backAction={{ content: t("flow.back"), url: "/app" }}>
      <TitleBar title={t("flow.title")} />
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
                  {t("flow.delivery.heading")}
                </Text>
                <Badge tone={settings.enabled ? "success" : "attention"}>
                  {t(settings.enabled ? "flow.delivery.on" : "flow.delivery.off")}
                </Badge>
              </InlineStack>
              <Text as="p" tone="subdued">
                {t(settings.enabled ? "flow.delivery.explainOn" : "flow.delivery.explainOff")}
                {settings.changedAt
                  ? ` ${t("flow.delivery.changedAt", { at: new Date(settings.changedAt).toLocaleString() })}`
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
                    {t(settings.enabled ? "flow.delivery.turnOff" : "flow.delivery.turnOn")}
                  </Button>
                </Form>
                {settings.enabled && triggers.resendable > 0 ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="resend" />
                    <Button submit loading={busy}>
                      {t("flow.delivery.resend", { count: triggers.resendable })}
                    </Button>
                  </Form>
                ) : null}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 6 }} gap="400">
            <Metric label={t("deliveries.metric.delivered")} value={triggers.delivered} />
            <Metric label={t("deliveries.metric.waiting")} value={triggers.pending} />
            <Metric label={t("deliveries.metric.retrying")} value={triggers.retrying} />
            <Metric label={t("deliveries.metric.failed")} value={triggers.failed} />
            <Metric label={t("deliveries.metric.skipped")} value={triggers.skipped} />
            <Metric
              label={t("deliveries.metric.oldest")}
              value={t("deliveries.metric.seconds", { seconds: status.lagSeconds })}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <DeliveryProblemsCard
            title={t("flow.problems.heading")}
            problems={status.problems}
            failed={triggers.failed}
            busy={busy}
          />
        </Layout.Section>
        <Layout.Section>
          <CatalogCard
            title={t("flow.catalog.triggers")}
            intro={t("flow.catalog.triggersIntro")}
            entries={catalog.triggers}
          />
        </Layout.Section>
        <Layout.Section>
          <CatalogCard
            title={t("flow.catalog.actions")}
            intro={t("flow.catalog.actionsIntro")}
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
                {t("flow.catalog.fields", { fields: entry.fields.join(", ") })}
              </Text>
            ) : null}
            {entry.idea ? (
              <Text as="p" tone="subdued">
                {t("flow.catalog.idea", { idea: entry.idea })}
              </Text>
            ) : null}
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
