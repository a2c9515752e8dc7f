import { useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { plural, t } from "~/lib/i18n";

interface Progress {
  toVersion: number;
  state: string;
  totalMembers: number;
  processedMembers: number;
  tierChanges: number;
  lastError: string | null;
  finishedAt: string | Date | null;
}

/** How long a finished recompute is still announced to a merchant who did not see it run. */
const DONE_SHOWN_FOR_MS = 5 * 60_000;

/**
 * Before saving: how many members a tier or expiry change recomputes (counted in the database).
 * After: the recompute's progress as its job records it, refreshed while it runs.
 */
export function RecomputeNotices(props: {
  preview: number | null;
  progress: Progress | null;
  /** The server's now when the page loaded (finished recomputes are announced once, shortly). */
  now: string;
}) {
  const { progress } = props;
  const running =
    progress !== null && (progress.state === "queued" || progress.state === "running");
  // A recompute seen running on this page is announced when it is done; one that finished
  // earlier only for a few minutes after, so the card does not sit on every settings page.
  const [sawRunning, setSawRunning] = useState(running);
  if (running && !sawRunning) setSawRunning(true);
  const finishedRecently =
    progress?.finishedAt != null &&
    new Date(props.now).getTime() - new Date(progress.finishedAt).getTime() < DONE_SHOWN_FOR_MS;
  const shown =
    progress !== null && (running || progress.state === "failed" || sawRunning || finishedRecently);
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  return (
    <>
      {props.preview !== null ? (
        <Layout.Section>
          <Banner tone="warning" title={t("settings.recompute.previewTitle")}>
            <p>{t("settings.recompute.preview", { count: props.preview })}</p>
          </Banner>
        </Layout.Section>
      ) : null}
      {progress && shown ? (
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                {t("settings.recompute.heading", { version: progress.toVersion })}
              </Text>
              <ProgressBar
                progress={percent(progress)}
                animated={running}
                tone={progress.state === "failed" ? "critical" : "primary"}
                size="small"
                ariaLabelledBy="recompute-status"
              />
              <p id="recompute-status">
                <Text as="span" tone={progress.state === "failed" ? "critical" : "subdued"}>
                  {statusText(progress)}
                </Text>
              </p>
            </BlockStack>
          </Card>
        </Layout.Section>
      ) : null}
    </>
  );
}

function percent(progress: Progress) {
  if (progress.state === "done") return 100;
  if (progress.totalMembers === 0) return 0;
  return Math.min(100, Math.round((progress.processedMembers / progress.totalMembers) * 100));
}

function statusText(progress: Progress) {
  const values = {
    processed: progress.processedMembers,
    total: progress.totalMembers,
    changes: progress.tierChanges,
  };
  switch (progress.state) {
    case "queued":
      return t("settings.recompute.queued", values);
    case "running":
      return t("settings.recompute.running", values);
    case "failed":
      return t("settings.recompute.failed", { error: progress.lastError ?? "" });
    default:
      return `${plural("settings.recompute.done", progress.processedMembers)} ${plural(
        "settings.recompute.doneChanges",
        progress.tierChanges,
        { unchanged: Math.max(0, progress.processedMembers - progress.tierChanges) },
      )}`;
  }
}
