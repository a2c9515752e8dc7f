import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";

/** A delivery (Flow trigger or Klaviyo event) that failed or is waiting to be retried. */
export type DeliveryProblem = {
  eventId: string;
  type: string;
  customerId: string;
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
                  Retry failed
                </Button>
              </Form>
            </div>
          ) : null}
        </InlineStack>
        {props.problems.length === 0 ? (
          <div style={{ padding: "0 16px 16px" }}>
            <Text as="p" tone="subdued">
              Nothing is failing or retrying.
            </Text>
          </div>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
            headings={["Event", "Customer", "State", "Attempts", "Next attempt", "Reason"]}
            rows={props.problems.map((p) => [
              p.type,
              p.customerId,
              <Badge key={p.eventId} tone={p.state === "failed" ? "critical" : "attention"}>
                {p.state}
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
