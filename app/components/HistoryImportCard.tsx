import { Form } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineStack,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { type MessageKey, numberLocale, t, tMaybe } from "~/lib/i18n";
import { historyProblemText } from "~/lib/history-problems";
import { POINTS_WINDOWS } from "~/lib/history-import-form";
import type { HistoryImportView } from "~/services/history-import/report.server";
import { useCsvDownload } from "./useCsvDownload";

const STATE_TONE: Record<string, "info" | "attention" | "success" | "critical" | undefined> = {
  queued: "attention",
  fetching: "attention",
  applying: "attention",
  done: "success",
  failed: "critical",
  stopped: undefined,
};

const RUNNING = new Set(["queued", "fetching", "applying"]);

/**
 * The store's history import (issue 18): the merchant's choices and a start button, then the
 * progress bar with counts and the time left, then what came in, per tier, and the lines that
 * could not, with the whole report as CSV.
 */
export function HistoryImportCard({ run, busy }: { run: HistoryImportView | null; busy: boolean }) {
  const running = run !== null && RUNNING.has(run.state);
  return (
    <Card>
      <div id="history">
        <BlockStack gap="400">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {t("history.heading")}
            </Text>
            {run ? (
              <Badge tone={STATE_TONE[run.state]}>
                {t(`history.state.${run.state}` as MessageKey)}
              </Badge>
            ) : null}
          </InlineStack>
          <Text as="p" tone="subdued">
            {t("history.body")}
          </Text>
          {run ? <ImportStatus run={run} busy={busy} /> : null}
          {running ? null : <ChoicesForm busy={busy} initial={run?.choices} />}
        </BlockStack>
      </div>
    </Card>
  );
}

function ChoicesForm({ busy, initial }: { busy: boolean; initial?: HistoryImportView["choices"] }) {
  const [points, setPoints] = useState(String(initial?.pointsDays ?? "none"));
  const [storeCredit, setStoreCredit] = useState(initial?.storeCredit ?? true);
  const [fireFlows, setFireFlows] = useState(initial?.fireFlows ?? false);
  const options = [
    { label: t("history.points.none"), value: "none" },
    ...POINTS_WINDOWS.map((days) => ({
      label: t("history.points.days", { days }),
      value: String(days),
    })),
  ];
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="history-start" />
      <BlockStack gap="300">
        <Select
          label={t("history.points.label")}
          name="points"
          options={options}
          value={points}
          onChange={setPoints}
          helpText={t("history.points.help")}
        />
        <Checkbox
          label={t("history.storeCredit")}
          name="storeCredit"
          value="on"
          checked={storeCredit}
          onChange={setStoreCredit}
        />
        <Checkbox
          label={t("history.fireFlows")}
          name="fireFlows"
          value="on"
          checked={fireFlows}
          onChange={setFireFlows}
          helpText={t("history.fireFlows.help")}
        />
        <InlineStack>
          <Button submit variant="primary" loading={busy}>
            {initial ? t("history.again") : t("history.start")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function ImportStatus({ run, busy }: { run: HistoryImportView; busy: boolean }) {
  const running = RUNNING.has(run.state);
  return (
    <BlockStack gap="300">
      {run.state !== "done" || run.percent < 100 ? (
        <BlockStack gap="100">
          <ProgressBar
            progress={run.percent}
            size="small"
            tone={
              run.state === "failed" ? "critical" : run.state === "done" ? "success" : "highlight"
            }
            ariaLabelledBy="history-progress"
          />
          <Text as="p" tone="subdued" id="history-progress">
            {run.phase === "preparing"
              ? t("history.preparing")
              : run.timeLeft && running
                ? t("history.timeLeft", { percent: run.percent, timeLeft: run.timeLeft })
                : t("history.percent", { percent: run.percent })}
          </Text>
        </BlockStack>
      ) : null}
      <Text as="p" variant="bodyMd">
        {t("history.counts", {
          customers: run.customers.toLocaleString(numberLocale()),
          orders: run.orders.toLocaleString(numberLocale()),
          points: run.pointsAwarded.toLocaleString(numberLocale()),
        })}
      </Text>
      {run.state === "done" ? (
        <Text as="p" variant="bodyMd">
          {run.tiers.length === 0
            ? t("history.noTiers")
            : t("history.tiers", {
                tiers: run.tiers.map((tier) => `${tier.name} ${tier.members}`).join(", "),
              })}
        </Text>
      ) : null}
      {run.lastError ? <Banner tone="critical">{run.lastError}</Banner> : null}
      {running ? (
        <Form method="post">
          <input type="hidden" name="intent" value="history-stop" />
          <input type="hidden" name="importId" value={run.id} />
          <Button submit tone="critical" variant="secondary" loading={busy}>
            {t("history.stop")}
          </Button>
        </Form>
      ) : null}
      {run.problems > 0 ? <Problems run={run} /> : null}
    </BlockStack>
  );
}

function Problems({ run }: { run: HistoryImportView }) {
  const { download, loading, failed } = useCsvDownload();
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {t("history.problems", { count: run.problems })}
        </Text>
        <Button
          loading={loading}
          onClick={() =>
            download(`/app/export/history-problems?import=${run.id}`, "history-import-report.csv")
          }
        >
          {t("history.report")}
        </Button>
      </InlineStack>
      {failed ? <Banner tone="critical">{t("history.reportFailed")}</Banner> : null}
      <DataTable
        columnContentTypes={["text", "numeric", "text", "text"]}
        headings={[
          t("history.problems.file"),
          t("history.problems.line"),
          t("history.problems.kind"),
          t("history.problems.detail"),
        ]}
        rows={run.problemLines.map((p) => [
          p.file,
          p.line,
          tMaybe(`history.kind.${p.kind}`),
          historyProblemText(p),
        ])}
      />
      {run.problems > run.problemLines.length ? (
        <Text as="p" tone="subdued">
          {t("history.problems.more", { shown: run.problemLines.length, count: run.problems })}
        </Text>
      ) : null}
    </BlockStack>
  );
}
