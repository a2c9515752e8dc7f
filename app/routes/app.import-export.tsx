import { adminShop } from "~/lib/settings/route.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  ChoiceList,
  DataTable,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { HistoryImportCard } from "~/components/HistoryImportCard";
import { useCsvDownload } from "~/components/useCsvDownload";
import { historyChoicesFromForm } from "~/lib/history-import-form";
import { numberLocale, numbersIn, t, tMaybe, type MessageKey } from "~/lib/i18n";
import { latestHistoryImport } from "~/services/history-import/report.server";
import { startHistoryImport, stopHistoryImport } from "~/services/history-import/start.server";
import { LoyaltyError } from "~/services/errors";
import {
  checkImport,
  latestImports,
  MAX_IMPORT_BYTES,
  startImport,
  type ImportReport,
} from "~/services/import-export/import.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId } = await adminShop(request);
  const [runs, history] = await Promise.all([latestImports(shopId), latestHistoryImport(shopId)]);
  return { runs, history };
};

type ActionResult = { ok: boolean; message: string; report?: ImportReport };

const ApplyForm = z.object({ runId: z.uuid() });
const StopForm = z.object({ importId: z.uuid() });

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shopId, t } = await adminShop(request);
  const form = await request.formData();
  try {
    switch (form.get("intent")) {
      case "check": {
        const file = form.get("file");
        if (!(file instanceof File) || file.size === 0) {
          return { ok: false, message: t("importExport.import.noFile") };
        }
        if (file.size > MAX_IMPORT_BYTES)
          return { ok: false, message: t("importExport.import.tooLarge") };
        const mode = form.get("balanceMode") === "set" ? "set" : "add";
        const report = await checkImport(shopId, file.name, await file.text(), mode);
        return {
          ok: true,
          report,
          message: t("importExport.import.checked", {
            file: report.fileName,
            valid: report.validRows,
            total: report.totalRows,
            errors: report.errors.length,
          }),
        };
      }
      case "apply": {
        const parsed = ApplyForm.safeParse({ runId: form.get("runId") });
        if (!parsed.success) return { ok: false, message: t("importExport.import.unknownAction") };
        const report = await startImport(shopId, parsed.data.runId);
        return { ok: true, report, message: t("importExport.import.started") };
      }
      case "history-start": {
        const choices = historyChoicesFromForm(form);
        if (!choices) return { ok: false, message: t("history.invalid") };
        const { started } = await startHistoryImport(shopId, choices);
        return { ok: true, message: t(started ? "history.started" : "history.alreadyRunning") };
      }
      case "history-stop": {
        const parsed = StopForm.safeParse({ importId: form.get("importId") });
        if (!parsed.success) return { ok: false, message: t("importExport.import.unknownAction") };
        await stopHistoryImport(shopId, parsed.data.importId);
        return { ok: true, message: t("history.stopped") };
      }
      default:
        return { ok: false, message: t("importExport.import.unknownAction") };
    }
  } catch (error) {
    if (error instanceof LoyaltyError)
      return { ok: false, message: tMaybe(error.message, t, numbersIn(error.params, t)) };
    throw error;
  }
};

/** A checked file with bad lines is not a plain success: the merchant has lines to fix. */
function bannerTone(result: ActionResult): "success" | "warning" | "critical" {
  if (!result.ok) return "critical";
  return result.report?.state === "checked" && result.report.errors.length > 0
    ? "warning"
    : "success";
}

const STATE_TONE: Record<string, "info" | "attention" | "success" | "critical"> = {
  checked: "info",
  queued: "attention",
  applying: "attention",
  done: "success",
  failed: "critical",
};

/** A finished bar is green like the badge; a failed one red; otherwise Polaris's in-progress blue. */
const PROGRESS_TONE: Record<string, "success" | "critical"> = {
  done: "success",
  failed: "critical",
};

export default function ImportExportPage() {
  const { runs, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const running =
    runs.some((r) => r.state === "queued" || r.state === "applying") ||
    (history !== null && ["queued", "fetching", "applying"].includes(history.state));
  // Progress of a running import: reload every two seconds until it is done.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  return (
    <Page
      title={t("importExport.title")}
      backAction={{ content: t("importExport.back"), url: "/app" }}
    >
      <TitleBar title={t("importExport.title")} />
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={bannerTone(result)}>{result.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <HistoryImportCard run={history} busy={busy} />
        </Layout.Section>
        <Layout.Section>
          <ExportCard />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("importExport.import.heading")}
              </Text>
              <Text as="p" tone="subdued">
                {t("importExport.import.body")}
              </Text>
              <Form method="post" encType="multipart/form-data">
                <input type="hidden" name="intent" value="check" />
                <BlockStack gap="300">
                  <BalanceModeChoice />
                  <InlineStack gap="300" blockAlign="center">
                    <label>
                      <Text as="span" variant="bodyMd">
                        {t("importExport.import.file")}{" "}
                      </Text>
                      <input
                        type="file"
                        name="file"
                        accept=".csv,text/csv"
                        aria-label={t("importExport.import.file")}
                      />
                    </label>
                    <Button submit loading={busy}>
                      {t("importExport.import.check")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                {t("importExport.runs.heading")}
              </Text>
              {runs.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("importExport.runs.empty")}
                </Text>
              ) : (
                runs.map((run) => <RunReport key={run.id} run={run} busy={busy} />)
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** Whether the file's points add to each balance or replace it: asked, never assumed. */
function BalanceModeChoice() {
  const [mode, setMode] = useState<string[]>(["add"]);
  // The radios are named balanceMode: the browser posts the chosen one with the file.
  return (
    <ChoiceList
      title={t("importExport.import.mode")}
      name="balanceMode"
      choices={[
        { label: t("importExport.import.mode.add"), value: "add" },
        { label: t("importExport.import.mode.set"), value: "set" },
      ]}
      selected={mode}
      onChange={setMode}
    />
  );
}

/** The check's preview: each member's balance now and after applying, as it will change. */
function BalancePreviewTable({ run }: { run: ImportReport }) {
  if (run.preview.length === 0) return null;
  return (
    <BlockStack gap="100">
      <Text as="p">
        {t(run.balanceMode === "set" ? "importExport.preview.set" : "importExport.preview.add")}
      </Text>
      <DataTable
        columnContentTypes={["numeric", "text", "numeric", "numeric"]}
        headings={[
          t("importExport.runs.line"),
          t("importExport.preview.customer"),
          t("importExport.preview.before"),
          t("importExport.preview.after"),
        ]}
        rows={run.preview.map((row) => [
          row.line,
          row.customer,
          row.before.toLocaleString(numberLocale()),
          row.after.toLocaleString(numberLocale()),
        ])}
      />
    </BlockStack>
  );
}

function RunReport({ run, busy }: { run: ImportReport; busy: boolean }) {
  const done = run.validRows === 0 ? 100 : Math.round((run.processedRows / run.validRows) * 100);
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {t("importExport.runs.summary", {
            file: run.fileName,
            valid: run.validRows,
            total: run.totalRows,
          })}
        </Text>
        <Badge tone={STATE_TONE[run.state]}>
          {t(`importExport.state.${run.state}` as MessageKey)}
        </Badge>
      </InlineStack>
      {run.state !== "checked" ? (
        <BlockStack gap="100">
          <ProgressBar
            progress={done}
            size="small"
            tone={PROGRESS_TONE[run.state] ?? "highlight"}
          />
          <Text as="p" tone="subdued">
            {t("importExport.runs.progress", {
              processed: run.processedRows,
              valid: run.validRows,
              applied: run.appliedRows,
              skipped: run.skippedRows,
            })}
          </Text>
        </BlockStack>
      ) : null}
      {run.state === "checked" ? <BalancePreviewTable run={run} /> : null}
      {run.state === "checked" && run.validRows > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="runId" value={run.id} />
          <Button submit variant="primary" loading={busy}>
            {t("importExport.import.apply", { count: run.validRows })}
          </Button>
        </Form>
      ) : null}
      {run.errors.length > 0 ? (
        <BlockStack gap="100">
          <Text as="p" variant="bodyMd" fontWeight="semibold">
            {t("importExport.runs.errors")}
          </Text>
          <DataTable
            columnContentTypes={["numeric", "text"]}
            headings={[t("importExport.runs.line"), t("importExport.runs.reason")]}
            // A reason is a copy key with its values (a run from before keys: its English text).
            rows={run.errors.map((e) => [e.line, tMaybe(e.reason, t, numbersIn(e.params))])}
          />
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}

function ExportCard() {
  const { download, loadingPath, failed } = useCsvDownload();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("importExport.export.heading")}
        </Text>
        <Text as="p" tone="subdued">
          {t("importExport.export.body")}
        </Text>
        {failed ? <Banner tone="critical">{t("importExport.export.failed")}</Banner> : null}
        <InlineStack gap="200">
          <Button
            loading={loadingPath === "/app/export/members"}
            onClick={() => download("/app/export/members", "members.csv")}
          >
            {t("importExport.export.members")}
          </Button>
          <Button
            loading={loadingPath === "/app/export/ledger"}
            onClick={() => download("/app/export/ledger", "ledger.csv")}
          >
            {t("importExport.export.ledger")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
