import prisma from "~/db.server";
import { saveProgram } from "~/services/program/versions.server";
import { saveReward } from "~/services/rewards/catalog.server";
import { deliver, newStore } from "./deliveries";
import { FIVE_OFF } from "./rewards";

/** Silver from 100.00 of spend (+10 points), Gold from 1,000.00 (+100 points, points × 2). */
export const SILVER_GOLD = [
  {
    id: "silver",
    name: "Silver",
    threshold: { kind: "spend_365d", minor: 100_00 },
    earnMultiplier: 1,
    entryBonusPoints: 10,
  },
  {
    id: "gold",
    name: "Gold",
    threshold: { kind: "spend_365d", minor: 1_000_00 },
    earnMultiplier: 2,
    entryBonusPoints: 100,
  },
];

/**
 * A new store whose shop (made by a first customer's webhook) runs SILVER_GOLD; `entryReward`
 * also grants a "VIP gift" reward on every tier entry, and `program` adds to the program.
 */
export async function shopWithTiers(
  options: { entryReward?: boolean; program?: Record<string, unknown> } = {},
) {
  const store = newStore();
  await deliver(
    "customers/create",
    store.addCustomer({ email: `setup${store.newId()}@example.com` }),
  );
  const shop = await prisma.shop.findFirstOrThrow();
  if (options.entryReward) {
    await saveReward(shop.id, { ...FIVE_OFF, handle: "vip-gift", name: "VIP gift" });
  }
  const bonuses = options.entryReward ? { bonuses: { tierEntryRewardHandle: "vip-gift" } } : {};
  await saveProgram(
    prisma,
    shop.id,
    { tiers: SILVER_GOLD, ...bonuses, ...options.program },
    "test",
  );
  return { store, shopId: shop.id };
}
