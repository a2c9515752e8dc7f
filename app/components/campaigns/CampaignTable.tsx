import { useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, DataTable, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { describeSegment, type Segment, type SegmentClause } from "~/domain/campaigns";
import { type MessageKey, numberLocale, plural, t } from "~/lib/i18n";

interface Campaign {
  id: string;
  name: string;
  rewardName: string | null;
  points: number | null;
  segment: Segment;
  state: string;
  matchedMembers: number | null;
  issued: number;
  failed: number;
  pending: number;
  createdAt: string;
}

const STATE_TONE: Record<string, "info" | "attention" | "success" | "critical"> = {
  queued: "info",
  granting: "attention",
  granted: "success",
  failed: "critical",
};

function clauseText(clause: SegmentClause, tierName: (id: string) => string): string {
  switch (clause.kind) {
    case "everyone":
      return t("campaigns.segment.everyone");
    case "tiers":
      return t("campaigns.segment.tiers", { tiers: clause.tierIds.map(tierName).join(", ") });
    case "points":
      if (clause.max === null) return t("campaigns.segment.pointsAtLeast", { min: clause.min });
      if (clause.min === 0) return t("campaigns.segment.pointsAtMost", { max: clause.max });
      return t("campaigns.segment.pointsBetween", { min: clause.min, max: clause.max });
    case "joined":
      if (clause.onOrAfter && clause.onOrBefore) {
        return t("campaigns.segment.joinedBetween", {
          from: clause.onOrAfter,
          to: clause.onOrBefore,
        });
      }
      return clause.onOrAfter
        ? t("campaigns.segment.joinedFrom", { from: clause.onOrAfter })
        : t("campaigns.segment.joinedUntil", { to: clause.onOrBefore ?? "" });
  }
}

/** What each member gets: "500 points", or the reward's name. */
function giftText(campaign: Campaign): string {
  return campaign.points !== null
    ? plural("campaigns.gives.points", campaign.points)
    : (campaign.rewardName ?? "");
}

/** The shop's campaigns with their progress, refreshed while one is still issuing. */
export function CampaignTable(props: {
  campaigns: Campaign[];
  tiers: { id: string; name: string }[];
}) {
  const running = props.campaigns.some((c) => c.state === "queued" || c.state === "granting");
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const tierName = (id: string) => props.tiers.find((tier) => tier.id === id)?.name ?? id;

  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h2" variant="headingMd">
          {t("campaigns.list.heading")}
        </Text>
      </Box>
      {props.campaigns.length === 0 ? (
        <Box padding="600">
          <BlockStack gap="200" inlineAlign="center">
            <Text as="h3" variant="headingSm">
              {t("campaigns.list.empty")}
            </Text>
            <Text as="p" tone="subdued">
              {t("campaigns.list.emptyBody")}
            </Text>
          </BlockStack>
        </Box>
      ) : (
        <DataTable
          columnContentTypes={[
            "text",
            "text",
            "text",
            "text",
            "numeric",
            "numeric",
            "numeric",
            "numeric",
            "text",
          ]}
          headings={[
            t("campaigns.column.name"),
            t("campaigns.column.gives"),
            t("campaigns.column.segment"),
            t("campaigns.column.state"),
            t("campaigns.column.matched"),
            t("campaigns.column.issued"),
            t("campaigns.column.failed"),
            t("campaigns.column.pending"),
            t("campaigns.column.created"),
          ]}
          rows={props.campaigns.map((c) => [
            c.name,
            giftText(c),
            describeSegment(c.segment)
              .map((clause) => clauseText(clause, tierName))
              .join("; "),
            <Badge key="state" tone={STATE_TONE[c.state]}>
              {t(`campaigns.state.${c.state}` as MessageKey)}
            </Badge>,
            c.matchedMembers === null ? "–" : c.matchedMembers.toLocaleString(numberLocale()),
            c.issued.toLocaleString(numberLocale()),
            c.failed.toLocaleString(numberLocale()),
            c.pending.toLocaleString(numberLocale()),
            c.createdAt.slice(0, 10),
          ])}
        />
      )}
    </Card>
  );
}
