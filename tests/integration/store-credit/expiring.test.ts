import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import { sendStoreCredit } from "~/services/store-credit/send.server";
import { deliver, eventsOf, newStore } from "../../support/deliveries";
import { adminCallFor, catalog, memberWithPoints } from "../../support/rewards";

// store_credit.expiring: N days before a cashback credit expires, once per credit, with what is
// left of it (catalog: amount, formatted, expires at, remaining days).
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

async function creditedCashback(storeCredit: Record<string, unknown>) {
  const store = newStore();
  const member = await memberWithPoints(0, store);
  await prisma.$transaction((tx) =>
    saveProgram(
      tx,
      member.shopId,
      { storeCredit: { enabled: true, cashbackBasisPoints: 500, expiryDays: 30, ...storeCredit } },
      null,
    ),
  );
  const api = adminCallFor(member.api);
  const order = store.addPaidOrder(member.customer, [
    { title: "Lamp", price: "40.00", quantity: 2 },
  ]);
  await deliver("orders/paid", order);
  expect(await sendStoreCredit(member.shopId, api)).toMatchObject({ applied: 1 }); // $4.00
  const expiring = () => eventsOf(member.customer.id, "store_credit.expiring");
  return { store, member, api, order, expiring };
}

describe("store credit expiring reminders", () => {
  it("reminds once, N days before, with the amount, its formatting, the expiry and days left", async () => {
    const s = await creditedCashback({ reminderDaysBefore: 7 });
    const credit = await prisma.storeCreditTransaction.findFirstOrThrow({
      where: { shopId: s.member.shopId, customerId: s.member.customerId, kind: "credit" },
    });

    await runDailyMaintenance(s.member.shopId, days(20)); // 10 days left: too early
    expect(await s.expiring()).toEqual([]);
    const [first, again, nextDay] = [
      await runDailyMaintenance(s.member.shopId, days(24)),
      await runDailyMaintenance(s.member.shopId, days(24)),
      await runDailyMaintenance(s.member.shopId, days(25)),
    ];

    expect([first, again, nextDay].map((r) => r.storeCreditReminders)).toEqual([1, 0, 0]);
    expect((await s.expiring()).map((e) => e.payload)).toEqual([
      {
        amount_minor: 400,
        currency: "USD",
        amount_formatted: "$4.00",
        symbol: "$",
        expires_at: credit.expiresAt!.toISOString(),
        remaining_days: 6,
      },
    ]);
  });

  it("counts only what refunds left of the credit", async () => {
    const s = await creditedCashback({ reminderDaysBefore: 7 });
    const line = s.order.line_items[0]!;
    await deliver("refunds/create", s.store.refundLineItem(s.order, line.id, 1));
    await sendStoreCredit(s.member.shopId, s.api); // $2.00 taken back

    await runDailyMaintenance(s.member.shopId, days(25));

    expect(
      (await s.expiring()).map((e) => (e.payload as { amount_minor: number }).amount_minor),
    ).toEqual([200]);
  });

  it("sends nothing when reminders are off or the credit never expires", async () => {
    const off = await creditedCashback({ reminderDaysBefore: 0 });
    await runDailyMaintenance(off.member.shopId, days(29));
    expect(await off.expiring()).toEqual([]);

    const never = await creditedCashback({ expiryDays: 0, reminderDaysBefore: 7 });
    await runDailyMaintenance(never.member.shopId, days(400));
    expect(await never.expiring()).toEqual([]);
  });

  it("reminds of a store credit reward that expires, once, like cashback", async () => {
    const member = await memberWithPoints(1000);
    await prisma.$transaction((tx) =>
      saveProgram(tx, member.shopId, { storeCredit: { reminderDaysBefore: 7 } }, null),
    );
    await catalog(member.shopId, {
      type: "store_credit",
      handle: "credit-expiring",
      name: "$3 credit",
      pointsCost: 100,
      amountMinor: 300,
      creditExpiryDays: 30,
    });
    const redeemed = await redeemReward(adminCallFor(member.api), {
      shopId: member.shopId,
      customerId: member.customerId,
      reward: { handle: "credit-expiring" },
      requestKey: "credit-expiring:1",
      source: "points_redemption",
    });
    const { expiresAt } = await prisma.redemption.findUniqueOrThrow({
      where: { id: redeemed.redemptionId },
    });
    // Shopify was told the same expiry, so the reminder is about a real expiry.
    const [account] = member.store.adminApi.storeCreditAccountsOf(Number(member.customerId));
    expect(account?.transactions[0]?.expiresAt).toEqual(expiresAt);

    await runDailyMaintenance(member.shopId, days(20)); // 10 days left: too early
    const runs = [
      await runDailyMaintenance(member.shopId, days(25)),
      await runDailyMaintenance(member.shopId, days(26)),
    ];

    // The shop's other members' credits are reminded by the first run too; a second sends nothing.
    expect(runs[1]!.storeCreditReminders).toBe(0);
    const expiring = await eventsOf(member.customer.id, "store_credit.expiring");
    expect(expiring.map((e) => e.payload)).toEqual([
      {
        amount_minor: 300,
        currency: "USD",
        amount_formatted: "$3.00",
        symbol: "$",
        expires_at: expiresAt!.toISOString(),
        remaining_days: 5,
      },
    ]);
  });
});
