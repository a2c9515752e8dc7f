import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, InlineGrid, Layout, Page } from "@shopify/polaris";
import { DeliveryProblemsCard } from "~/components/DeliveryProblemsCard";
import { Metric } from "~/components/Metric";
import {
  OmnisendConnectionCard,
  OmnisendContactsCard,
} from "~/components/omnisend/OmnisendConnectionCard";
import { requestOmnisendDrain } from "~/jobs/queues/send.server";
import { plural, t, tMaybe, type Translate } from "~/lib/i18n";
import { adminShop } from "~/lib/settings/route.server";
import { LoyaltyError } from "~/services/errors";
import { connectOmnisend, disconnectOmnisend } from "~/services/omnisend/connection.server";
import {
  omnisendStatus,
  resyncOmnisendContacts,
  retryFailedOmnisend,
} from "~/services/omnisend/status.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId, t } = await adminShop(request);
  const { pause, ...status } = await omnisendStatus(shopId);
  // Written here, in the shop's time zone and the staff member's language, so the server and the
  // browser render the same words.
  const pausedUntil = pause
    ? new Intl.DateTimeFormat(t("locale.tag"), {
        timeZone: pause.timeZone,
        timeStyle: "short",
      }).format(pause.until)
    : null;
  return { ...status, pausedUntil };
};

type ActionResult = { ok: boolean; message: string };

async function runIntent(shopId: string, form: FormData, t: Translate): Promise<ActionResult> {
  switch (form.get("intent")) {
    case "connect":
      await connectOmnisend(shopId, String(form.get("apiKey") ?? ""));
      await requestOmnisendDrain(shopId);
      return { ok: true, message: t("omnisend.result.connected") };
    case "disconnect":
      await disconnectOmnisend(shopId);
      return { ok: true, message: t("omnisend.result.disconnected") };
    case "sync": {
      const count = await resyncOmnisendContacts(shopId);
      return { ok: true, message: t("omnisend.result.syncing", { count }) };
    }
    case "retry": {
      const count = await retryFailedOmnisend(shopId);
      return { ok: true, message: t("omnisend.result.retried", { count }) };
    }
    default:
      return { ok: false, message: t("omnisend.result.unknown") };
  }
}

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shopId, t } = await adminShop(request);
  try {
    return await runIntent(shopId, await request.formData(), t);
  } catch (error) {
    if (error instanceof LoyaltyError) return { ok: false, message: tMaybe(error.message, t) };
    throw error;
  }
};

export default function OmnisendPage() {
  const status = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { connection, events, contacts, pausedUntil } = status;
  const connected = connection?.status === "connected";
  return (
    <Page title={t("omnisend.title")} backAction={{ content: t("omnisend.back"), url: "/app" }}>
      <TitleBar title={t("omnisend.title")} />
      <Layout>
        {result?.message ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <OmnisendConnectionCard connection={connection} busy={busy} />
        </Layout.Section>
        {connected && pausedUntil ? (
          <Layout.Section>
            <Banner tone="warning">{t("omnisend.paused", { time: pausedUntil })}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
            <Metric label={t("deliveries.metric.delivered")} value={events.delivered} />
            <Metric label={t("deliveries.metric.waiting")} value={events.pending} />
            <Metric label={t("deliveries.metric.retrying")} value={events.retrying} />
            <Metric label={t("deliveries.metric.failed")} value={events.failed} />
            <Metric
              label={t("deliveries.metric.oldest")}
              value={t("deliveries.metric.seconds", { seconds: status.lagSeconds })}
            />
          </InlineGrid>
        </Layout.Section>
        {connected && events.historySkipped > 0 ? (
          <Layout.Section>
            <Banner tone="info" title={t("omnisend.skipped.title")}>
              <p>{plural("omnisend.skipped.body", events.historySkipped)}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {connected ? (
          <Layout.Section>
            <OmnisendContactsCard contacts={contacts} busy={busy} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <DeliveryProblemsCard
            title={t("omnisend.problems.heading")}
            problems={status.problems}
            failed={events.failed}
            busy={busy}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
