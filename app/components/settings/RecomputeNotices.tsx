import { useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { t } from "~/lib/i18n";

interface Progress {
  toVersion: number;
  state: string;
  totalMembers: number;
  processedMembers: number;
  tierChanges: number;
  lastError: string | null;
}

/**
 * Before saving: how many members a tier or expiry change recomputes (counted in the database).
 * After: the recompute's progress as its job records it, refreshed while it runs.
 */
export function RecomputeNotices(props: { preview: number | null; progress: Progress | null }) {
  const { progress } = props;
  const running =
    progress !== null && (progress.state === "queued" || progress.state === "running");
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
      {progress ? (
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                {t("settings.recompute.heading", { version: progress.toVersion })}
              </Text>
              <ProgressBar
                progress={percent(progress)}
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
      return t("settings.recompute.done", values);
  }
}
