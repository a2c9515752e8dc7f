import { Form, Link, useNavigation } from "@remix-run/react";
import { BlockStack, Box, Button, Card, DataTable, Text } from "@shopify/polaris";
import { hasMessage, t } from "~/lib/i18n";

interface FailedGrant {
  id: string;
  memberId: string;
  memberName: string;
  occasion: string;
  campaignName: string | null;
  rewardName: string;
  reason: string | null;
  failedAt: string;
}

function occasionText(row: FailedGrant): string {
  if (row.occasion === "one_time_campaign") {
    return t("campaigns.occasion.one_time_campaign", { name: row.campaignName ?? "" });
  }
  const key = `campaigns.occasion.${row.occasion}`;
  return hasMessage(key) ? t(key) : row.occasion;
}

/** Rewards granted without points that ended failed, of any occasion, each with a retry. */
export function FailedGrantsCard({ rows }: { rows: FailedGrant[] }) {
  const busy = useNavigation().state !== "idle";
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("campaigns.failed.heading")}
          </Text>
          <Text as="p" tone="subdued">
            {t("campaigns.failed.description")}
          </Text>
        </BlockStack>
      </Box>
      {rows.length === 0 ? (
        <Box padding="400">
          <Text as="p">{t("campaigns.failed.empty")}</Text>
        </Box>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "text", "text", "text", "text"]}
          headings={[
            t("campaigns.failed.column.member"),
            t("campaigns.failed.column.occasion"),
            t("campaigns.failed.column.reward"),
            t("campaigns.failed.column.reason"),
            t("campaigns.failed.column.date"),
            t("campaigns.failed.column.action"),
          ]}
          verticalAlign="middle"
          rows={rows.map((row) => [
            <Link key="member" to={`/app/members/${row.memberId}`}>
              {row.memberName}
            </Link>,
            occasionText(row),
            row.rewardName,
            <span key="reason" style={{ whiteSpace: "normal" }}>
              {row.reason ?? t("campaigns.failed.noReason")}
            </span>,
            row.failedAt.slice(0, 10),
            <Form key="retry" method="post">
              <input type="hidden" name="intent" value="retry" />
              <input type="hidden" name="grantId" value={row.id} />
              <Button
                submit
                size="slim"
                loading={busy}
                accessibilityLabel={t("campaigns.failed.retryLabel", {
                  reward: row.rewardName,
                  member: row.memberName,
                })}
              >
                {t("campaigns.failed.retry")}
              </Button>
            </Form>,
          ])}
        />
      )}
    </Card>
  );
}
