import { adminShop } from "~/lib/settings/route.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, InlineGrid, Layout, Page } from "@shopify/polaris";
import { DeliveryProblemsCard } from "~/components/DeliveryProblemsCard";
import { ConnectionCard } from "~/components/klaviyo/ConnectionCard";
import { ListSyncCard, SyncNowCard } from "~/components/klaviyo/SyncCards";
import { Metric } from "~/components/Metric";
import { requestKlaviyoDrain } from "~/jobs/queues/send.server";
import { plural, t, tMaybe, type Translate } from "~/lib/i18n";
import { LoyaltyError } from "~/services/errors";
import { connectKlaviyo, disconnectKlaviyo } from "~/services/klaviyo/connection.server";
import { oauthApp } from "~/services/klaviyo/oauth-tokens.server";
import { startKlaviyoAuthorization } from "~/services/klaviyo/oauth.server";
import { klaviyoStatus, retryFailedKlaviyoEvents } from "~/services/klaviyo/status.server";
import {
  requestListSync,
  setListSyncHour,
  startKlaviyoSync,
} from "~/services/klaviyo/sync-now.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return {
    ...(await klaviyoStatus((await adminShop(request)).shopId)),
    oauthAvailable: oauthApp() !== null,
  };
};

type ActionResult = { ok: boolean; message: string; authorizeUrl?: string };

async function runIntent(shopId: string, form: FormData, t: Translate): Promise<ActionResult> {
  switch (form.get("intent")) {
    case "connect": {
      const result = await connectKlaviyo(shopId, String(form.get("apiKey") ?? ""));
      await requestKlaviyoDrain(shopId);
      const account = result.accountName ?? result.accountId;
      return { ok: true, message: t("klaviyo.result.connected", { account }) };
    }
    case "oauth-start": {
      const { url } = await startKlaviyoAuthorization(shopId);
      return { ok: true, message: "", authorizeUrl: url };
    }
    case "disconnect": {
      const { revoked } = await disconnectKlaviyo(shopId);
      await requestKlaviyoDrain(shopId);
      const message = t("klaviyo.result.disconnected");
      return {
        ok: true,
        message: revoked === false ? `${message} ${t("klaviyo.result.revokeFailed")}` : message,
      };
    }
    case "sync": {
      const includeEvents = form.get("includeEvents") === "on";
      const run = await startKlaviyoSync(shopId, { includeEvents });
      return {
        ok: true,
        message: t("klaviyo.result.syncing", {
          profiles: run.profilesTotal,
          events: run.eventsTotal,
        }),
      };
    }
    case "list-hour": {
      const raw = String(form.get("hour") ?? "off");
      await setListSyncHour(shopId, raw === "off" ? null : Number(raw));
      return {
        ok: true,
        message:
          raw === "off" ? t("klaviyo.result.listOff") : t("klaviyo.result.listHour", { hour: raw }),
      };
    }
    case "list-now":
      await requestListSync(shopId);
      return { ok: true, message: t("klaviyo.result.listNow") };
    case "retry": {
      const count = await retryFailedKlaviyoEvents(shopId);
      await requestKlaviyoDrain(shopId);
      return { ok: true, message: t("klaviyo.result.retried", { count }) };
    }
    default:
      return { ok: false, message: t("klaviyo.result.unknown") };
  }
}

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shopId, t } = await adminShop(request);
  try {
    return await runIntent(shopId, await request.formData(), t);
  } catch (error) {
    // A merchant's mistake is named by a copy key; Klaviyo's own refusals come as they said them.
    if (error instanceof LoyaltyError)
      return { ok: false, message: tMaybe(error.message, t, error.params) };
    throw error;
  }
};

export default function KlaviyoPage() {
  const status = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { connection, events, latestRun } = status;
  const connected = connection?.status === "connected";
  return (
    <Page title={t("klaviyo.title")} backAction={{ content: t("klaviyo.back"), url: "/app" }}>
      <TitleBar title={t("klaviyo.title")} />
      <Layout>
        {result?.message ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <ConnectionCard
            connection={connection}
            oauthAvailable={status.oauthAvailable}
            busy={busy}
          />
        </Layout.Section>
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
        {!connected && events.pending > 0 ? (
          <Layout.Section>
            <Banner tone="info" title={t("klaviyo.waiting.title")}>
              <p>{plural("klaviyo.waiting.beforeConnect", events.pending)}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {connected && events.skipped > 0 ? (
          <Layout.Section>
            <Banner tone="info" title={t("klaviyo.skipped.title")}>
              <p>{plural("klaviyo.skipped.body", events.skipped)}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {connected ? (
          <Layout.Section>
            <SyncNowCard run={latestRun} busy={busy} />
          </Layout.Section>
        ) : null}
        {connected && connection ? (
          <Layout.Section>
            <ListSyncCard
              busy={busy}
              hour={connection.listSyncHour}
              syncedAt={connection.listSyncedAt}
            />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <DeliveryProblemsCard
            title={t("klaviyo.problems.heading")}
            problems={status.problems}
            failed={events.failed}
            busy={busy}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
