import type { RewardKind } from "~/domain/rewards";

export const REWARD_KINDS: readonly RewardKind[] = [
  "fixed_amount",
  "percentage",
  "free_shipping",
  "free_product",
  "pay_with_points",
  "store_credit",
  "gift_card",
  "custom",
];

const discount = {
  minimumSubtotalMinor: null,
  codeExpiryDays: null,
  expiryReminderDays: 7,
  combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
};
const common = { enabled: true, eligibleTierIds: [], limitPerMember: null };

/** A new reward of each kind, filled with values a merchant would start from. */
export function rewardTemplate(kind: RewardKind, existing: readonly string[]) {
  let n = 1;
  while (existing.includes(`${kind.replace(/_/g, "-")}-${n}`)) n += 1;
  const handle = `${kind.replace(/_/g, "-")}-${n}`;
  const base = { handle, name: "", ...common };
  switch (kind) {
    case "fixed_amount":
      return { type: kind, ...base, ...discount, pointsCost: 500, amountMinor: 500 };
    case "percentage":
      return { type: kind, ...base, ...discount, pointsCost: 1000, percentage: 10 };
    case "free_shipping":
      return { type: kind, ...base, ...discount, pointsCost: 300, maximumShippingPriceMinor: null };
    case "free_product":
      return { type: kind, ...base, ...discount, pointsCost: 2000, variantId: "" };
    case "pay_with_points":
      return {
        type: kind,
        ...base,
        ...discount,
        pointsPerStep: 100,
        amountMinorPerStep: 100,
        minPoints: 100,
        maxPoints: 5000,
      };
    case "store_credit":
      return { type: kind, ...base, pointsCost: 500, amountMinor: 500, creditExpiryDays: null };
    case "gift_card":
      return { type: kind, ...base, pointsCost: 2500, amountMinor: 2500, codeExpiryDays: null };
    case "custom":
      // The merchant writes what the shopper does next; an empty one is refused with a reason.
      return { type: kind, ...base, pointsCost: 1000, instructions: "", codeExpiryDays: null };
  }
}
