import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { deriveLots } from "~/domain/expiry/lots";
import { claimReferral } from "~/services/referrals/claim.server";
import { referralCodeFor, saveReferralProgram } from "~/services/referrals/program.server";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  mergePayload,
} from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

// A merge moves everything the merged customer had to the kept one (ADR 0054): points lot by lot
// with their earned dates, unused rewards, the referral code and its link, the store credit
// mirror and held points.

const DAY = 86_400_000;

describe("customers/merge moves everything to the kept member", () => {
  it("points keep their earned dates, rewards and store credit follow, the code keeps working", async () => {
    // GIVEN a merged-away customer with points earned 200 days ago, an unused $5 reward, store
    // credit and a referral code; and a kept customer with none of those
    const gone = await memberWithPoints(0);
    const { shopId, store } = gone;
    await catalog(shopId, FIVE_OFF);
    await saveReferralProgram(shopId, { enabled: true, advocatePoints: 0 });
    const earnedAt = new Date(Date.now() - 200 * DAY);
    await deliver(
      "orders/paid",
      store.addPaidOrder(gone.customer, [{ title: "Desk", price: "700.00", quantity: 1 }], {
        at: earnedAt,
      }),
    );
    const reward = await redeemReward(adminCallFor(gone.api), {
      shopId,
      customerId: gone.customerId,
      reward: { handle: FIVE_OFF.handle },
      requestKey: "merge-moves-reward",
      source: "points_redemption",
    });
    const goneRow = (await memberOf(gone.customer.id))!;
    await prisma.member.update({
      where: { id: goneRow.id },
      data: { storeCreditMinor: 1_500, storeCreditCurrency: "USD" },
    });
    const code = await referralCodeFor(shopId, gone.customerId);
    const kept = store.addCustomer({ email: "kept-moves@example.com" });
    await deliver("customers/create", kept);

    // WHEN Shopify merges them
    await deliver("customers/merge", mergePayload(kept, gone.customer));

    // THEN the kept member holds the 200 points as the lot they were on the merged member: earned
    // when the order's points were, so they expire when they would have
    const keptRow = (await memberOf(kept.id))!;
    const earned = await prisma.ledgerEntry.findFirstOrThrow({
      where: { memberId: goneRow.id, kind: "earn" },
    });
    expect(keptRow.pointsBalance).toBe(700 - 500);
    const entries = await prisma.ledgerEntry.findMany({ where: { memberId: keptRow.id } });
    const { lots, unexpiring } = deriveLots(entries);
    expect(lots.map((lot) => [lot.remaining, lot.earnedAt])).toEqual([[200, earned.createdAt]]);
    expect(unexpiring).toBe(0);
    // … the unused reward, its reminders and expiry go to the kept member
    const moved = await prisma.redemption.findUniqueOrThrow({ where: { id: reward.redemptionId } });
    expect(moved.memberId).toBe(keptRow.id);
    // … the store credit mirror follows Shopify, which combines the accounts
    expect(keptRow).toMatchObject({ storeCreditMinor: 1_500, storeCreditCurrency: "USD" });
    // … and the merged customer's referral code keeps working: the kept member has a code of
    // their own since they joined, and a friend claiming the old one refers for them
    const keptCode = await prisma.referralCode.findFirstOrThrow({
      where: { shopId, memberId: keptRow.id },
    });
    expect(keptCode.code).not.toBe(code);
    const friend = store.addCustomer({ email: "friend-moves@example.com" });
    await deliver("customers/create", friend);
    await claimReferral(adminCallFor(gone.api), {
      shopId,
      friendCustomerId: BigInt(friend.id),
      code,
    });
    expect((await eventsOf(friend.id, "referral.accepted")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ advocate_customer_id: String(kept.id), referral_code: code }),
    ]);
    await expectBalanceMatchesLedger(kept.id);
  });

  it("held points stay held on the kept member", async () => {
    const gone = await memberWithPoints(0);
    const { shopId, store } = gone;
    await prisma.programVersion.create({
      data: {
        shopId,
        version: (await prisma.programVersion.count({ where: { shopId } })) + 1,
        config: { pending: { days: 14 } },
      },
    });
    await deliver(
      "orders/paid",
      store.addPaidOrder(gone.customer, [{ title: "Vase", price: "40.00", quantity: 1 }]),
    );
    expect((await memberOf(gone.customer.id))?.pendingPoints).toBe(40);
    const kept = store.addCustomer({ email: "kept-held@example.com" });
    await deliver("customers/create", kept);

    await deliver("customers/merge", mergePayload(kept, gone.customer));

    expect(await memberOf(kept.id)).toMatchObject({ pointsBalance: 40, pendingPoints: 40 });
    expect((await memberOf(gone.customer.id))?.pendingPoints).toBe(0);
  });
});
