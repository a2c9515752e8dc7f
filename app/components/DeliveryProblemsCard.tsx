import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { t } from "~/lib/i18n";

/** A delivery (Flow trigger or Klaviyo event) that failed or is waiting to be retried. */
export type DeliveryProblem = {
  eventId: string;
  type: string;
  /** Null for a guest order's commerce event. */
  customerId: string | null;
  state: "failed" | "retrying";
  attempts: number;
  reason: string | null;
  nextAttemptAt: string | Date | null;
};

/** The "needing attention" table of a delivery status page, with "Retry failed". */
export function DeliveryProblemsCard(props: {
  title: string;
  problems: DeliveryProblem[];
  failed: number;
  busy: boolean;
}) {
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <div style={{ padding: "16px" }}>
            <Text as="h2" variant="headingMd">
              {props.title}
            </Text>
          </div>
          {props.failed > 0 ? (
            <div style={{ padding: "16px" }}>
              <Form method="post">
                <input type="hidden" name="intent" value="retry" />
                <Button submit loading={props.busy}>
                  {t("deliveries.retryFailed")}
                </Button>
              </Form>
            </div>
          ) : null}
        </InlineStack>
        {props.problems.length === 0 ? (
          <div style={{ padding: "0 16px 16px" }}>
            <Text as="p" tone="subdued">
              {t("deliveries.nothing")}
            </Text>
          </div>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
            headings={[
              t("deliveries.column.event"),
              t("deliveries.column.customer"),
              t("deliveries.column.state"),
              t("deliveries.column.attempts"),
              t("deliveries.column.nextAttempt"),
              t("deliveries.column.reason"),
            ]}
            rows={props.problems.map((p) => [
              p.type,
              p.customerId ?? t("deliveries.guest"),
              <Badge key={p.eventId} tone={p.state === "failed" ? "critical" : "attention"}>
                {t(p.state === "failed" ? "deliveries.state.failed" : "deliveries.state.retrying")}
              </Badge>,
              p.attempts,
              p.nextAttemptAt ? new Date(p.nextAttemptAt).toLocaleString() : "—",
              p.reason ?? "",
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
