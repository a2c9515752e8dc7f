import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { hasMessage, t } from "~/lib/i18n";

export interface ReferralRejectionRow {
  id: string;
  at: string;
  code: string;
  friendCustomerId: string;
  reason: string;
  detail: string;
}

/** The referral claims the fraud rules refused, newest first, each with its rule and reason. */
export function ReferralRejectionsCard({ rejections }: { rejections: ReferralRejectionRow[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("settings.referrals.rejections.title")}
        </Text>
        {rejections.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("settings.referrals.rejections.none")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={[
              t("settings.referrals.rejections.when"),
              t("settings.referrals.rejections.friend"),
              t("settings.referrals.rejections.reason"),
            ]}
            rows={rejections.map((r) => [
              // The same text on server and browser (no locale or zone), so hydration matches.
              `${r.at.slice(0, 16).replace("T", " ")} UTC`,
              t("settings.referrals.rejections.customer", { id: r.friendCustomerId, code: r.code }),
              `${reasonLabel(r.reason)}: ${r.detail}`,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function reasonLabel(reason: string) {
  const key = `settings.referrals.rejections.rule.${reason}`;
  return hasMessage(key) ? t(key) : reason;
}
