import { useNavigate } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineStack,
  Link,
  Pagination,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { hasMessage, type MessageKey, numberLocale, t } from "~/lib/i18n";
import { SetTierForm } from "./member-forms";

export function signed(points: number) {
  return points > 0
    ? `+${points.toLocaleString(numberLocale())}`
    : points.toLocaleString(numberLocale());
}

/** ISO day only: the same text on the server and in the browser, so hydration matches. */
export function day(iso: string) {
  return iso.slice(0, 10);
}

export function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value.toLocaleString(numberLocale())}
        </Text>
      </BlockStack>
    </Card>
  );
}

type LedgerEntryView = {
  id: string;
  createdAt: string;
  points: number;
  balanceAfter: number;
  kind: string;
  source: string;
  note: string | null;
  orderId: string | null;
  orderName: string | null;
};

function reasonOf(entry: LedgerEntryView) {
  const kind = `ledger.kind.${entry.kind}`;
  const source = `ledger.source.${entry.source}`;
  const base = hasMessage(kind) ? t(kind) : entry.kind;
  const by = hasMessage(source) ? ` ${t(source)}` : "";
  return entry.note ? `${base}${by}: ${entry.note}` : `${base}${by}`;
}

export function LedgerCard({
  ledger,
}: {
  ledger: { entries: LedgerEntryView[]; nextCursor: string | null; isFirstPage: boolean };
}) {
  const navigate = useNavigate();
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <div style={{ padding: "16px 16px 0" }}>
          <Text as="h2" variant="headingMd">
            {t("member.ledger.heading")}
          </Text>
        </div>
        {ledger.entries.length === 0 ? (
          <div style={{ padding: "0 16px 16px" }}>
            <Text as="p" tone="subdued">
              {t("member.ledger.empty")}
            </Text>
          </div>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
            headings={[
              t("member.ledger.date"),
              t("member.ledger.reason"),
              t("member.ledger.order"),
              t("member.ledger.change"),
              t("member.ledger.balance"),
            ]}
            rows={ledger.entries.map((entry) => [
              day(entry.createdAt),
              // Table cells do not wrap; a long staff note would push Change and Balance out of
              // view, so the reason wraps within a bounded width.
              <div
                key={`${entry.id}-reason`}
                style={{
                  whiteSpace: "normal",
                  overflowWrap: "anywhere",
                  minWidth: 160,
                  maxWidth: 320,
                }}
              >
                {reasonOf(entry)}
              </div>,
              entry.orderId ? (
                // App Bridge opens shopify://admin links in Shopify admin itself (target _top).
                <Link key={entry.id} url={`shopify://admin/orders/${entry.orderId}`} target="_top">
                  {entry.orderName ?? t("member.ledger.orderNumber", { id: entry.orderId })}
                </Link>
              ) : (
                ""
              ),
              <Text
                key={`${entry.id}-points`}
                as="span"
                tone={entry.points < 0 ? "critical" : "success"}
              >
                {signed(entry.points)}
              </Text>,
              entry.balanceAfter.toLocaleString(numberLocale()),
            ])}
          />
        )}
        {!ledger.isFirstPage || ledger.nextCursor ? (
          <div style={{ padding: "0 16px 16px" }}>
            <InlineStack align="center">
              <Pagination
                hasPrevious={!ledger.isFirstPage}
                previousTooltip={t("member.ledger.newest")}
                onPrevious={() => navigate("?")}
                hasNext={ledger.nextCursor !== null}
                nextTooltip={t("member.ledger.older")}
                onNext={() => navigate(`?before=${ledger.nextCursor}`)}
              />
            </InlineStack>
          </div>
        ) : null}
      </BlockStack>
    </Card>
  );
}

type TierView = {
  id: string | null;
  name: string | null;
  enteredAt: string | null;
  periodEndsAt: string | null;
  lockedUntil: string | null;
  spendMinor: number | null;
  lastChange: {
    at: string;
    change: string;
    reason: string | null;
    from: string | null;
    to: string | null;
  } | null;
  next: {
    name: string;
    unit: string;
    target: number;
    remaining: number;
    percent: number;
  } | null;
};

function money(minor: number, currency: string) {
  const format = new Intl.NumberFormat(numberLocale(), { style: "currency", currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

export function TierCard(props: {
  tier: TierView;
  tiers: { id: string; name: string }[];
  currency: string;
  busy: boolean;
  errors: Record<string, string>;
}) {
  const { tier } = props;
  const next = tier.next;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("member.tier.heading")}
          </Text>
          {tier.name ? (
            <Badge tone="info">{tier.name}</Badge>
          ) : (
            <Badge>{t("member.tier.none")}</Badge>
          )}
        </InlineStack>
        {tier.enteredAt ? (
          <Text as="p" tone="subdued">
            {t("member.tier.since", { date: day(tier.enteredAt) })}
            {tier.periodEndsAt
              ? ` · ${t("member.tier.until", { date: day(tier.periodEndsAt) })}`
              : ""}
          </Text>
        ) : null}
        {tier.lockedUntil ? (
          <Text as="p" tone="subdued">
            {t("member.tier.locked", { date: day(tier.lockedUntil) })}
          </Text>
        ) : null}
        {tier.spendMinor !== null ? (
          <Text as="p">
            {t("member.tier.spend", { spend: money(tier.spendMinor, props.currency) })}
          </Text>
        ) : null}
        {tier.lastChange ? <LastTierChange change={tier.lastChange} /> : null}
        {next ? (
          <BlockStack gap="100">
            <Text as="p">
              {next.unit === "money"
                ? t("member.tier.nextMoney", {
                    remaining: money(next.remaining, props.currency),
                    tier: next.name,
                  })
                : t("member.tier.nextPoints", {
                    remaining: next.remaining.toLocaleString(numberLocale()),
                    tier: next.name,
                  })}
            </Text>
            <ProgressBar progress={next.percent} size="small" />
          </BlockStack>
        ) : props.tiers.length > 0 ? (
          <Text as="p" tone="subdued">
            {t("member.tier.top")}
          </Text>
        ) : null}
        {props.tiers.length > 0 ? (
          <SetTierForm
            current={tier.id}
            tiers={props.tiers}
            busy={props.busy}
            errors={props.errors}
          />
        ) : null}
      </BlockStack>
    </Card>
  );
}

const REASONS: Record<string, MessageKey> = {
  spend: "member.tier.reason.spend",
  period_end: "member.tier.reason.period_end",
  refund: "member.tier.reason.refund",
  cancellation: "member.tier.reason.cancellation",
  program_change: "member.tier.reason.program_change",
  manual: "member.tier.reason.manual",
  import: "member.tier.reason.import",
};

/** "Gold → Silver on 2026-12-01: a refund took away the spend the upgrade stood on." */
function LastTierChange(props: { change: NonNullable<TierView["lastChange"]> }) {
  const { change } = props;
  const none = t("member.tier.none");
  const reason = change.reason ? REASONS[change.reason] : undefined;
  return (
    <Text as="p" tone="subdued">
      {t("member.tier.lastChange", {
        from: change.from ?? none,
        to: change.to ?? none,
        date: day(change.at),
      })}
      {reason ? ` ${t(reason)}` : ""}
    </Text>
  );
}
