import { Form } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { t } from "~/lib/i18n";

export type SyncRun = {
  state: string;
  profilesTotal: number;
  profilesDone: number;
  eventsTotal: number;
  eventsDone: number;
};

/** "Sync now": properties of every member again, optionally past events as history. */
export function SyncNowCard({ run, busy }: { run: SyncRun | null; busy: boolean }) {
  const [includeEvents, setIncludeEvents] = useState(false);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("klaviyo.sync.heading")}
        </Text>
        <Text as="p" tone="subdued">
          {t("klaviyo.sync.explain")}
        </Text>
        {run ? <SyncProgress run={run} /> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="sync" />
          <BlockStack gap="200">
            <Checkbox
              label={t("klaviyo.sync.includeEvents")}
              name="includeEvents"
              checked={includeEvents}
              onChange={setIncludeEvents}
            />
            <InlineStack>
              <Button submit loading={busy}>
                {t("klaviyo.sync.submit")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}

function SyncProgress({ run }: { run: SyncRun }) {
  const total = run.profilesTotal + run.eventsTotal;
  const done = run.profilesDone + run.eventsDone;
  const percent = total === 0 ? 100 : Math.round((100 * done) / total);
  const running = run.state === "running";
  return (
    <BlockStack gap="100">
      <Text as="p">{t(running ? "klaviyo.sync.running" : "klaviyo.sync.last", { ...run })}</Text>
      <ProgressBar progress={percent} size="small" tone={running ? "highlight" : "success"} />
    </BlockStack>
  );
}

const hourOptions = () => [
  { label: t("klaviyo.list.off"), value: "off" },
  ...Array.from({ length: 24 }, (_, h) => ({
    label: `${String(h).padStart(2, "0")}:00`,
    value: String(h),
  })),
];

/** The optional one-way "Loyalty members" list: daily hour and "Sync list now". */
export function ListSyncCard(props: {
  busy: boolean;
  hour: number | null;
  syncedAt: string | Date | null;
}) {
  const [hour, setHour] = useState(props.hour === null ? "off" : String(props.hour));
  const syncedAt = props.syncedAt
    ? new Date(props.syncedAt).toLocaleString()
    : t("klaviyo.list.never");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("klaviyo.list.heading")}
        </Text>
        <Text as="p" tone="subdued">
          {t("klaviyo.list.explain", { syncedAt })}
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value="list-hour" />
          <InlineStack gap="200" blockAlign="end">
            <Select
              label={t("klaviyo.list.hourLabel")}
              name="hour"
              options={hourOptions()}
              value={hour}
              onChange={setHour}
            />
            <Button submit loading={props.busy}>
              {t("klaviyo.list.save")}
            </Button>
          </InlineStack>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="list-now" />
          <Button submit loading={props.busy}>
            {t("klaviyo.list.now")}
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}
