import prisma from "~/db.server";
import { snapshotOf } from "../rewards/redemption/hold.server";

/** How many of a member's rewards the member page lists (newest first). */
const REWARDS_SHOWN = 20;

/**
 * The member's rewards for the member page: name, code, state and dates, whether staff can void
 * it (an unused discount code: the code is deactivated at Shopify and the points come back; an
 * unused custom reward: the points come back; store credit and gift cards are money already in
 * the customer's hands) and whether staff can mark it fulfilled (an unused custom reward).
 */
export async function memberRewards(shopId: string, memberId: string) {
  const rows = await prisma.redemption.findMany({
    where: { shopId, memberId, state: { in: ["issued", "used", "expired", "voided"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: REWARDS_SHOWN,
  });
  return rows.map((row) => {
    const { definition } = snapshotOf(row);
    const custom = definition.type === "custom";
    return {
      id: row.id,
      name: definition.name,
      code: row.code,
      state: row.state as "issued" | "used" | "expired" | "voided",
      pointsSpent: row.pointsSpent,
      issuedAt: row.issuedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      voidable:
        row.state === "issued" &&
        (custom ||
          (row.shopifyId !== null &&
            definition.type !== "store_credit" &&
            definition.type !== "gift_card")),
      fulfillable: row.state === "issued" && custom,
    };
  });
}

/** The member's redemption with this id, or null (another member's, or no such reward). */
export function redemptionOfMember(shopId: string, memberId: string, redemptionId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(redemptionId)) return null;
  return prisma.redemption.findFirst({ where: { id: redemptionId, shopId, memberId } });
}
