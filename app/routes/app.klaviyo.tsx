import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { DeliveryProblemsCard } from "~/components/DeliveryProblemsCard";
import { KlaviyoOAuthButton } from "~/components/KlaviyoOAuthButton";
import { Metric } from "~/components/Metric";
import prisma from "~/db.server";
import { requestKlaviyoDrain } from "~/jobs/klaviyo.server";
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
import { ensureShop } from "~/services/shops.server";
import { authenticate } from "~/shopify.server";

async function shopIdOf(request: Request) {
  const { session } = await authenticate.admin(request);
  return (await ensureShop(prisma, session.shop)).id;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return { ...(await klaviyoStatus(await shopIdOf(request))), oauthAvailable: oauthApp() !== null };
};

type ActionResult = { ok: boolean; message: string; authorizeUrl?: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const shopId = await shopIdOf(request);
  const form = await request.formData();
  try {
    switch (form.get("intent")) {
      case "connect": {
        const result = await connectKlaviyo(shopId, String(form.get("apiKey") ?? ""));
        await requestKlaviyoDrain(shopId);
        return { ok: true, message: `Connected to ${result.accountName ?? result.accountId}` };
      }
      case "oauth-start": {
        const { url } = await startKlaviyoAuthorization(shopId);
        return { ok: true, message: "", authorizeUrl: url };
      }
      case "disconnect": {
        const { revoked } = await disconnectKlaviyo(shopId);
        await requestKlaviyoDrain(shopId);
        const revokeNote =
          revoked === false
            ? " Klaviyo could not be reached to revoke the app's access: remove the app in Klaviyo → Integrations."
            : "";
        return {
          ok: true,
          message: `Disconnected. Events wait here until you connect again.${revokeNote}`,
        };
      }
      case "sync": {
        const run = await startKlaviyoSync(shopId, {
          includeEvents: form.get("includeEvents") === "on",
        });
        return {
          ok: true,
          message: `Syncing ${run.profilesTotal} profiles and ${run.eventsTotal} past events`,
        };
      }
      case "list-hour": {
        const raw = String(form.get("hour") ?? "off");
        await setListSyncHour(shopId, raw === "off" ? null : Number(raw));
        return {
          ok: true,
          message: raw === "off" ? "Daily list sync is off" : `The list syncs daily at ${raw}:00`,
        };
      }
      case "list-now":
        await requestListSync(shopId);
        return { ok: true, message: "The member list is being synced" };
      case "retry": {
        const count = await retryFailedKlaviyoEvents(shopId);
        await requestKlaviyoDrain(shopId);
        return { ok: true, message: `${count} failed events queued again` };
      }
      default:
        return { ok: false, message: "Unknown action" };
    }
  } catch (error) {
    if (error instanceof LoyaltyError) return { ok: false, message: error.message };
    throw error;
  }
};

const STATUS_TONE = { connected: "success", disconnected: undefined, revoked: "critical" } as const;

export default function KlaviyoPage() {
  const status = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { connection, events, latestRun } = status;
  const connected = connection?.status === "connected";
  return (
    <Page title="Klaviyo" backAction={{ url: "/app" }}>
      <TitleBar title="Klaviyo" />
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
                  Connection
                </Text>
                <Badge
                  tone={
                    connection
                      ? STATUS_TONE[connection.status as keyof typeof STATUS_TONE]
                      : undefined
                  }
                >
                  {connection?.status ?? "not connected"}
                </Badge>
              </InlineStack>
              {connection ? (
                <Text as="p" tone="subdued">
                  {connection.accountName ?? connection.accountId} ·{" "}
                  {connection.authKind === "oauth"
                    ? "connected with OAuth"
                    : `key ${connection.credentialHint}`}{" "}
                  · properties {connection.propertyPrefix}*
                  {connection.statusReason ? ` · ${connection.statusReason}` : ""}
                </Text>
              ) : null}
              {connected ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="disconnect" />
                  <Button submit tone="critical" loading={busy}>
                    Disconnect
                  </Button>
                </Form>
              ) : (
                <BlockStack gap="400">
                  {status.oauthAvailable ? <KlaviyoOAuthButton /> : null}
                  <ConnectForm busy={busy} />
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
            <Metric label="Delivered" value={events.delivered} />
            <Metric label="Waiting" value={events.pending} />
            <Metric label="Retrying" value={events.retrying} />
            <Metric label="Failed" value={events.failed} />
            <Metric label="Oldest waiting" value={`${status.lagSeconds} s`} />
          </InlineGrid>
        </Layout.Section>
        {connected ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Sync now
                </Text>
                <Text as="p" tone="subdued">
                  Sends every member&apos;s loyalty properties again. Past events are sent as
                  history, so Klaviyo flows do not fire for them.
                </Text>
                {latestRun ? <SyncProgress run={latestRun} /> : null}
                <SyncForm busy={busy} />
              </BlockStack>
            </Card>
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
            title="Deliveries needing attention"
            problems={status.problems}
            failed={events.failed}
            busy={busy}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function ConnectForm({ busy }: { busy: boolean }) {
  const [apiKey, setApiKey] = useState("");
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="connect" />
      <BlockStack gap="200">
        <TextField
          label="Private API key"
          name="apiKey"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={setApiKey}
          helpText="Klaviyo → Settings → API keys → Create private API key (full access to Accounts, Events, Lists, Profiles). It is stored encrypted and never shown again."
        />
        <InlineStack>
          <Button submit variant="primary" loading={busy} disabled={apiKey.trim() === ""}>
            Connect
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

const HOURS = [
  { label: "Off", value: "off" },
  ...Array.from({ length: 24 }, (_, h) => ({
    label: `${String(h).padStart(2, "0")}:00`,
    value: String(h),
  })),
];

function ListSyncCard(props: {
  busy: boolean;
  hour: number | null;
  syncedAt: string | Date | null;
}) {
  const [hour, setHour] = useState(props.hour === null ? "off" : String(props.hour));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Member list
        </Text>
        <Text as="p" tone="subdued">
          Keeps a Klaviyo list named &ldquo;Loyalty members&rdquo; with every active member (one
          way, from the app to Klaviyo). Last synced:{" "}
          {props.syncedAt ? new Date(props.syncedAt).toLocaleString() : "never"}.
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value="list-hour" />
          <InlineStack gap="200" blockAlign="end">
            <Select
              label="Daily at (store time)"
              name="hour"
              options={HOURS}
              value={hour}
              onChange={setHour}
            />
            <Button submit loading={props.busy}>
              Save
            </Button>
          </InlineStack>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="list-now" />
          <Button submit loading={props.busy}>
            Sync list now
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}

function SyncForm({ busy }: { busy: boolean }) {
  const [includeEvents, setIncludeEvents] = useState(false);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="sync" />
      <BlockStack gap="200">
        <Checkbox
          label="Also send events from before Klaviyo was connected"
          name="includeEvents"
          checked={includeEvents}
          onChange={setIncludeEvents}
        />
        <InlineStack>
          <Button submit loading={busy}>
            Sync now
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

type Run = {
  state: string;
  profilesTotal: number;
  profilesDone: number;
  eventsTotal: number;
  eventsDone: number;
};

function SyncProgress({ run }: { run: Run }) {
  const total = run.profilesTotal + run.eventsTotal;
  const done = run.profilesDone + run.eventsDone;
  const percent = total === 0 ? 100 : Math.round((100 * done) / total);
  return (
    <BlockStack gap="100">
      <Text as="p">
        {run.state === "running" ? "Syncing" : "Last sync"}: {run.profilesDone} of{" "}
        {run.profilesTotal} profiles, {run.eventsDone} of {run.eventsTotal} past events
      </Text>
      <ProgressBar
        progress={percent}
        size="small"
        tone={run.state === "running" ? "highlight" : "success"}
      />
    </BlockStack>
  );
}
