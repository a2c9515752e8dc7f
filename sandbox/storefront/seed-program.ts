/**
 * The sandbox merchant's loyalty program, saved through the app's own services as the program
 * settings would save it: earning, birthday and welcome bonuses, two tiers, three rewards and
 * referrals. Each save queues the storefront metafield publish, like a save in the admin.
 */
import prisma from "../../app/db.server";
import { startJobs } from "../../app/jobs/start.server";
import { saveProgram } from "../../app/services/program/versions.server";
import { saveReward } from "../../app/services/rewards/catalog.server";
import { saveReferralProgram } from "../../app/services/referrals/program.server";
import { ensureShop } from "../../app/services/shops/ensure.server";
import { SANDBOX_PROGRAM, SANDBOX_REWARDS } from "./program-fixture";

export async function seedLoyaltyProgram(shopDomain: string) {
  // Start the job runtime first: on PGlite its start-up queries would wait behind the save's
  // transaction (one connection), which would then time out.
  await startJobs();
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
