/**
 * The sandbox merchant's loyalty program, saved through the app's own services as the program
 * settings would save it: earning, birthday and welcome bonuses, two tiers, three rewards and
 * referrals. Each save queues the storefront metafield publish, like a save in the admin.
 */
import prisma from "../../app/db.server";
import { getBoss } from "../../app/jobs/runtime.server";
import { saveProgram } from "../../app/services/program.server";
import { saveReward } from "../../app/services/reward-catalog.server";
import { saveReferralProgram } from "../../app/services/referrals.server";
import { ensureShop } from "../../app/services/shops.server";

export const SANDBOX_PROGRAM = {
  earning: { pointsPerUnit: 1, rounding: "down" },
  bonuses: { welcomePoints: 50, birthdayPoints: 100 },
  tiers: [
    { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 150 } },
    { id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 400 } },
  ],
} as const;

export const SANDBOX_REWARDS = [
  { type: "fixed_amount", handle: "five-off", name: "$5 off", pointsCost: 50, amountMinor: 500 },
  { type: "percentage", handle: "ten-percent", name: "10% off", pointsCost: 150, percentage: 10 },
  {
    type: "fixed_amount",
    handle: "fifty-off",
    name: "$50 off",
    pointsCost: 5000,
    amountMinor: 5000,
  },
] as const;

export async function seedLoyaltyProgram(shopDomain: string) {
  // Start the job runtime first: on PGlite its start-up queries would wait behind the save's
  // transaction (one connection), which would then time out.
  await getBoss();
  const shop = await prisma.$transaction((tx) => ensureShop(tx, shopDomain));
  await prisma.$transaction((tx) => saveProgram(tx, shop.id, SANDBOX_PROGRAM, "sandbox"));
  for (const reward of SANDBOX_REWARDS)
    await saveReward(shop.id, { ...reward, codeExpiryDays: 30 });
  await saveReferralProgram(shop.id, {
    enabled: true,
    friendRewardHandle: "five-off",
    advocatePoints: 200,
  });
  return shop.id;
}
