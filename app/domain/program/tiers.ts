import { z } from "zod";
import { twoDecimalRate } from "./decimal";

const minor = z.int().min(0);
const points = z.int().min(0);

export const TierThresholdSchema = z.discriminatedUnion("kind", [
  // Spend (money, minor units) in the rolling 365 days before the evaluation date.
  z.strictObject({ kind: z.literal("spend_365d"), minor }),
  z.strictObject({ kind: z.literal("lifetime_points"), points }),
]);
export type TierThreshold = z.infer<typeof TierThresholdSchema>;
export type TierThresholdKind = TierThreshold["kind"];

export const TierSchema = z
  .strictObject({
    // A slug, because the id ends up in Flow/Klaviyo payloads and must survive a rename.
    id: z
      .string()
      .max(40)
      .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, "validation.tier.id"),
    name: z.string().trim().min(1).max(60),
    threshold: TierThresholdSchema,
    // Lower bars that keep a member in the tier at period end (spending_extend).
    maintainMinor: minor.optional(),
    maintainPoints: points.optional(),
    earnMultiplier: twoDecimalRate(1, 10).default(1),
    entryBonusPoints: points.max(1_000_000).default(0),
  })
  .superRefine((tier, ctx) => {
    const { threshold } = tier;
    if (tier.maintainMinor !== undefined) {
      if (threshold.kind !== "spend_365d") {
        ctx.addIssue({
          code: "custom",
          path: ["maintainMinor"],
          message: "validation.tier.maintainSpendNeedsEntry",
        });
      } else if (tier.maintainMinor > threshold.minor) {
        ctx.addIssue({
          code: "custom",
          path: ["maintainMinor"],
          message: "validation.tier.maintainAboveEntry",
        });
      }
    }
    if (tier.maintainPoints !== undefined) {
      if (threshold.kind !== "lifetime_points") {
        ctx.addIssue({
          code: "custom",
          path: ["maintainPoints"],
          message: "validation.tier.maintainPointsNeedsEntry",
        });
      } else if (tier.maintainPoints > threshold.points) {
        ctx.addIssue({
          code: "custom",
          path: ["maintainPoints"],
          message: "validation.tier.maintainAboveEntry",
        });
      }
    }
  });
export type Tier = z.infer<typeof TierSchema>;

function thresholdValue(threshold: TierThreshold): number {
  return threshold.kind === "spend_365d" ? threshold.minor : threshold.points;
}

/**
 * Tiers are ordered lowest first. Placement walks the list and takes the last tier whose threshold
 * is met, which only makes sense when every tier measures the same thing and each bar is higher
 * than the one before, so both are enforced here rather than discovered at evaluation time.
 */
export const TierListSchema = z
  .array(TierSchema)
  .max(20)
  .superRefine((tiers, ctx) => {
    const seen = new Set<string>();
    tiers.forEach((tier, index) => {
      if (seen.has(tier.id)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: "validation.tier.duplicateId",
          params: { id: tier.id },
        });
      }
      seen.add(tier.id);
    });

    const first = tiers[0];
    if (first === undefined) return;
    tiers.forEach((tier, index) => {
      if (tier.threshold.kind !== first.threshold.kind) {
        ctx.addIssue({
          code: "custom",
          path: [index, "threshold", "kind"],
          message: "validation.tier.mixedKinds",
        });
        return;
      }
      const previous = tiers[index - 1];
      if (previous === undefined || previous.threshold.kind !== tier.threshold.kind) return;
      if (thresholdValue(tier.threshold) <= thresholdValue(previous.threshold)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "threshold"],
          message: "validation.tier.notAscending",
          params: { previous: previous.name },
        });
      }
    });
  });
