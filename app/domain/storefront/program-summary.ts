/**
 * What the storefront needs to know about the program without asking the app: the product-page
 * block computes "Earn N points" in Liquid from it, and the widget shows ways to earn and tiers to
 * signed-out shoppers. It is published as the app-owned shop metafield `$app:loyalty.program`
 * (docs/decisions/0026). Pure: the caller passes the config, the currency and the referral rules.
 */
import { minorUnitsPerUnit } from "../earning/currency";
import {
  SOCIAL_NETWORK_NAMES,
  SOCIAL_NETWORKS,
  type SocialNetwork,
} from "../earning-actions/social";
import type { ProgramConfig } from "../program/config";
import { toHundredths } from "../program/decimal";
import type { RewardDefinition } from "../rewards/index";

export const PROGRAM_SUMMARY_VERSION = 1 as const;

export type WayToEarn =
  | { kind: "purchase"; pointsPerUnit: number }
  | {
      kind: "welcome" | "birthday" | "anniversary" | "newsletter" | "referral";
      points: number;
    }
  /** A follow the widget links to (a new tab) and credits once per member (issue #23). */
  | { kind: "social"; network: SocialNetwork; name: string; url: string; points: number }
  /**
   * A custom action switched on in Settings (issue #23, ADR 0072), credited by a Flow workflow:
   * the merchant's name for it ("Leave a product review") and its points.
   */
  | { kind: "custom"; name: string; points: number }
  /**
   * Goals (issue #23), once per member: the `count`th order, or `minor` of goods (shop currency
   * minor units) within `days`. The widget and the rewards page show both, the amount in the
   * shop's money format.
   */
  | { kind: "goal_orders"; count: number; points: number }
  | { kind: "goal_spend"; minor: number; days: number; points: number };

export interface ProgramSummary {
  v: typeof PROGRAM_SUMMARY_VERSION;
  /** Points per 1.00 of currency in hundredths (1.25 → 125), so Liquid can use integer maths. */
  pointsPerUnitHundredths: number;
  rounding: ProgramConfig["earning"]["rounding"];
  currency: string;
  /** Minor units per unit: Liquid prices are in minor units (100 for USD, 1 for JPY). */
  minorPerUnit: number;
  /**
   * `price × pointsPerUnitHundredths ÷ divisor` is the points for a price in minor units: the
   * same formula as earnForOrder without a tier multiplier, precomputed so Liquid does one division.
   */
  divisor: number;
  waysToEarn: WayToEarn[];
  tiers: { name: string; threshold: { kind: "spend_365d" | "lifetime_points"; value: number } }[];
  /**
   * The enabled rewards, cheapest first, for the rewards page a signed-out shopper reads (the
   * metafield only; the widget's answers list rewards themselves). `points`: the fixed cost, or
   * the least a pay-with-points reward takes.
   */
  rewards?: { name: string; points: number }[];
}

export function programSummary(
  config: ProgramConfig,
  currency: string,
  referral: { enabled: boolean; advocatePoints: number },
  catalog?: RewardDefinition[],
): ProgramSummary {
  const minorPerUnit = minorUnitsPerUnit(currency);
  const hundredths = toHundredths(config.earning.pointsPerUnit);
  const ways: WayToEarn[] = [];
  if (hundredths > 0) ways.push({ kind: "purchase", pointsPerUnit: config.earning.pointsPerUnit });
  const bonuses = [
    ["welcome", config.bonuses.welcomePoints],
    ["birthday", config.bonuses.birthdayPoints],
    ["anniversary", config.bonuses.anniversaryPoints],
    ["newsletter", config.bonuses.newsletterPoints],
  ] as const;
  for (const [kind, points] of bonuses) if (points > 0) ways.push({ kind, points });
  if (referral.enabled && referral.advocatePoints > 0) {
    ways.push({ kind: "referral", points: referral.advocatePoints });
  }
  for (const network of SOCIAL_NETWORKS) {
    const { url, points } = config.bonuses.social[network];
    if (points > 0 && url) {
      ways.push({ kind: "social", network, name: SOCIAL_NETWORK_NAMES[network], url, points });
    }
  }
  for (const { name, points } of config.customActions) {
    if (points > 0) ways.push({ kind: "custom", name, points });
  }
  for (const goal of config.goals) {
    ways.push(
      goal.kind === "order_count"
        ? { kind: "goal_orders", count: goal.count, points: goal.points }
        : { kind: "goal_spend", minor: goal.minor, days: goal.windowDays, points: goal.points },
    );
  }
  return {
    v: PROGRAM_SUMMARY_VERSION,
    pointsPerUnitHundredths: hundredths,
    rounding: config.earning.rounding,
    currency: currency.toUpperCase(),
    minorPerUnit,
    divisor: minorPerUnit * 100,
    waysToEarn: ways,
    tiers: config.tiers.map((tier) => ({
      name: tier.name,
      threshold:
        tier.threshold.kind === "spend_365d"
          ? { kind: "spend_365d", value: tier.threshold.minor }
          : { kind: "lifetime_points", value: tier.threshold.points },
    })),
    ...(catalog && { rewards: rewardList(catalog) }),
  };
}

function rewardList(catalog: RewardDefinition[]) {
  const points = (r: RewardDefinition) =>
    r.type === "pay_with_points" ? r.minPoints : r.pointsCost;
  // sort is stable: equal costs keep the catalog's order.
  return catalog
    .filter((r) => r.enabled)
    .map((r) => ({ name: r.name, points: points(r) }))
    .sort((a, b) => a.points - b.points);
}

/**
 * The points the product block shows for a price (minor units): what the Liquid in
 * extensions/loyalty-theme/snippets/loyalty-points.liquid computes, written once in TypeScript so a
 * test can hold the two against each other and against earnForOrder.
 */
export function pointsForPrice(summary: ProgramSummary, priceMinor: number): number {
  const numerator = priceMinor * summary.pointsPerUnitHundredths;
  const { divisor } = summary;
  if (summary.rounding === "up") return Math.floor((numerator + divisor - 1) / divisor);
  if (summary.rounding === "nearest") return Math.floor((numerator + divisor / 2) / divisor);
  return Math.floor(numerator / divisor);
}
