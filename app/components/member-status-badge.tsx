import { Badge } from "@shopify/polaris";
import { t } from "~/lib/i18n";

const STATUS_TONE = {
  active: "success",
  redacted: "warning",
  deleted: "critical",
  merged: undefined,
} as const;

/** A member's status (active, or why their data is gone: redacted, deleted, merged). */
export function MemberStatusBadge({ status }: { status: string }) {
  const known = status in STATUS_TONE ? (status as keyof typeof STATUS_TONE) : null;
  if (!known) return <Badge>{status}</Badge>;
  return <Badge tone={STATUS_TONE[known]}>{t(`members.status.${known}`)}</Badge>;
}
