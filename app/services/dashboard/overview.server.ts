import prisma from "~/db.server";
import {
  addDays,
  formatIsoDate,
  localDate,
  parseIsoDate,
  shopTimeZone,
  startOfLocalDay,
  startOfNextLocalDay,
} from "~/domain/calendar";
import {
  bucketFor,
  bucketSeries,
  parsePeriod,
  redemptionRate,
  type DashboardPeriod,
  type DaySums,
  type PeriodError,
} from "~/domain/dashboard/period";
import { RewardDefinitionSchema } from "~/domain/rewards";
import { programInForce } from "../program/versions.server";
import { LEDGER_DAYS_SQL } from "./ledger-sums";

export interface DashboardOverview {
  period: DashboardPeriod;
  /** Set when the URL asked for a range that cannot be shown; `period` is then the default. */
  periodError: PeriodError | null;
  today: string;
  currency: string;
  members: {
    /** Active members now. */
    total: number;
    /** Members who joined in the period (any status now). */
    joined: number;
    /** Active members whose latest earning or redemption falls in the period. */
    active: number;
  };
  points: { issued: number; redeemed: number; expired: number };
  /** Points redeemed ÷ points issued in the period; null when none were issued. */
  redemptionRate: number | null;
  /** Active members' spendable-or-pending balances now, and their value when the program prices points. */
  liability: { points: number; valueMinor: number | null };
  /** How the value is priced: the enabled pay-with-points reward's rate, or null (points only). */
  pointValue: { points: number; minor: number } | null;
  /** Active members per tier now (null: no tier), in the program's tier order. */
  tiers: { id: string | null; name: string | null; members: number }[];
  /** Orders that used a loyalty reward code in the period: count and total_price, each order once. */
  rewardOrders: { orders: number; revenueMinor: number; rewardsUsed: number };
  series: { bucket: "day" | "week" | "month"; points: DaySums[] };
}

/**
 * Everything the dashboard shows for a shop and the period its URL asks for. Every query is one
 * aggregate by index for the shop (ADR 0032): ledger sums come from DashboardDay for days the daily
 * job rolled up and from the ledger itself for the days after, so the figures are exact either way.
 */
export async function dashboardOverview(
  shopId: string,
  params: URLSearchParams,
  now = new Date(),
): Promise<DashboardOverview> {
  const shop = await prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { currency: true, timeZone: true },
  });
  const timeZone = shopTimeZone(shop.timeZone);
  const today = localDate(now, timeZone);
  const parsed = parsePeriod(params, today);
  const period = parsed.ok ? parsed.period : parsed.fallback;
  const from = parseIsoDate(period.from)!;
  const to = parseIsoDate(period.to)!;
  const range = { start: startOfLocalDay(from, timeZone), end: startOfNextLocalDay(to, timeZone) };

  const [members, days, rewardOrders, pointValue, { config }] = await Promise.all([
    memberFigures(shopId, range),
    ledgerDays(shopId, timeZone, period),
    ordersWithRewards(shopId, range),
    programPointValue(shopId),
    programInForce(prisma, shopId),
  ]);

  const points = days.reduce(
    (sum, d) => ({
      issued: sum.issued + d.issued,
      redeemed: sum.redeemed + d.redeemed,
      expired: sum.expired + d.expired,
    }),
    { issued: 0, redeemed: 0, expired: 0 },
  );
  const memberRows = members.tiers;
  const count = (pick: (row: TierRow) => bigint) =>
    memberRows.reduce((sum, row) => sum + Number(pick(row)), 0);
  const liabilityPoints = count((row) => row.liability);
  const tierCounts = new Map(memberRows.map((row) => [row.tierId, Number(row.members)]));
  const tiers = [
    ...config.tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
      members: tierCounts.get(tier.id) ?? 0,
    })),
    // No tier, and members still on a tier the program no longer has (a recompute is moving them).
    {
      id: null,
      name: null,
      members: memberRows
        .filter((row) => !config.tiers.some((tier) => tier.id === row.tierId))
        .reduce((sum, row) => sum + Number(row.members), 0),
    },
  ];
  return {
    period,
    periodError: parsed.ok ? null : parsed.error,
    today: formatIsoDate(today),
    currency: shop.currency,
    members: {
      total: count((row) => row.members),
      joined: members.joined,
      active: members.active,
    },
    points,
    redemptionRate: redemptionRate(points.issued, points.redeemed),
    liability: {
      points: liabilityPoints,
      valueMinor: pointValue
        ? Math.floor((liabilityPoints * pointValue.minor) / pointValue.points)
        : null,
    },
    pointValue,
    tiers,
    rewardOrders,
    series: { bucket: bucketFor(period.days), points: bucketSeries(period, days) },
  };
}

interface TierRow {
  tierId: string | null;
  members: bigint;
  liability: bigint;
}

/**
 * Member figures, each one index-only scan for the shop (ADR 0032): active members and their
 * positive balances per tier; members who joined in the period (any status); active members whose
 * last activity falls in it.
 */
async function memberFigures(shopId: string, range: { start: Date; end: Date }) {
  const [tiers, joined, active] = await Promise.all([
    prisma.$queryRawUnsafe<TierRow[]>(
      `SELECT m."tierId", count(*) AS "members",
         COALESCE(SUM(GREATEST(m."pointsBalance", 0)), 0)::bigint AS "liability"
       FROM "Member" m
       WHERE m."shopId" = $1::uuid AND m."status" = 'active'
       GROUP BY m."tierId"`,
      shopId,
    ),
    prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS "n" FROM "Member"
       WHERE "shopId" = $1::uuid AND "createdAt" >= $2 AND "createdAt" < $3`,
      shopId,
      range.start,
      range.end,
    ),
    prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS "n" FROM "Member"
       WHERE "shopId" = $1::uuid AND "status" = 'active'
         AND "lastActivityAt" >= $2 AND "lastActivityAt" < $3`,
      shopId,
      range.start,
      range.end,
    ),
  ]);
  return { tiers, joined: Number(joined[0]?.n ?? 0), active: Number(active[0]?.n ?? 0) };
}

interface DayRow {
  day: Date;
  issued: bigint;
  redeemed: bigint;
  expired: bigint;
}

/**
 * Ledger sums per day of the period: rolled-up days from DashboardDay, the rest (today, and any
 * day the daily job has not reached) straight from the ledger by its (shopId, createdAt) index.
 */
async function ledgerDays(
  shopId: string,
  timeZone: string,
  period: DashboardPeriod,
): Promise<DaySums[]> {
  const latest = await prisma.dashboardDay.findFirst({
    where: { shopId },
    orderBy: { day: "desc" },
    select: { day: true },
  });
  const rolledThrough = latest ? latest.day.toISOString().slice(0, 10) : null;
  const rows: DayRow[] = [];
  if (rolledThrough && rolledThrough >= period.from) {
    const through = rolledThrough < period.to ? rolledThrough : period.to;
    rows.push(
      ...(await prisma.$queryRawUnsafe<DayRow[]>(
        `SELECT "day", "issued", "redeemed", "expired" FROM "DashboardDay"
         WHERE "shopId" = $1::uuid AND "day" >= $2::date AND "day" <= $3::date`,
        shopId,
        period.from,
        through,
      )),
    );
  }
  const rawFrom =
    rolledThrough && rolledThrough >= period.from
      ? formatIsoDate(addDays(parseIsoDate(rolledThrough)!, 1))
      : period.from;
  if (rawFrom <= period.to) {
    rows.push(
      ...(await prisma.$queryRawUnsafe<DayRow[]>(
        LEDGER_DAYS_SQL,
        shopId,
        timeZone,
        rawFrom,
        period.to,
      )),
    );
  }
  return rows.map((row) => ({
    day: row.day.toISOString().slice(0, 10),
    issued: Number(row.issued),
    redeemed: Number(row.redeemed),
    expired: Number(row.expired),
  }));
}

/** Orders whose discount codes were the app's rewards, counted once however many codes they used. */
async function ordersWithRewards(shopId: string, range: { start: Date; end: Date }) {
  const rows = await prisma.$queryRawUnsafe<{ orders: bigint; revenue: bigint; rewards: bigint }[]>(
    `SELECT count(*) AS "orders", COALESCE(SUM(o."total"), 0)::bigint AS "revenue",
            COALESCE(SUM(o."rewards"), 0)::bigint AS "rewards"
     FROM (
       SELECT r."usedOrderId", MAX(r."usedOrderTotalMinor") AS "total", count(*) AS "rewards"
       FROM "Redemption" r
       WHERE r."shopId" = $1::uuid AND r."state" = 'used'
         AND r."endedAt" >= $2 AND r."endedAt" < $3 AND r."usedOrderId" IS NOT NULL
       GROUP BY r."usedOrderId"
     ) o`,
    shopId,
    range.start,
    range.end,
  );
  const row = rows[0];
  return {
    orders: Number(row?.orders ?? 0),
    revenueMinor: Number(row?.revenue ?? 0),
    rewardsUsed: Number(row?.rewards ?? 0),
  };
}

/**
 * What a point is worth in shop money: the program's own exchange rate, which is the enabled
 * pay-with-points reward (the oldest one if there are several). Other rewards price points per
 * reward, not per point, so without one the liability is shown in points only.
 */
async function programPointValue(shopId: string) {
  const reward = await prisma.reward.findFirst({
    where: { shopId, type: "pay_with_points", enabled: true },
    orderBy: [{ createdAt: "asc" }, { handle: "asc" }],
    select: { definition: true },
  });
  if (!reward) return null;
  const parsed = RewardDefinitionSchema.safeParse(reward.definition);
  if (!parsed.success || parsed.data.type !== "pay_with_points") return null;
  return { points: parsed.data.pointsPerStep, minor: parsed.data.amountMinorPerStep };
}
