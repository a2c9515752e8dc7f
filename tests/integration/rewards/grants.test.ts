import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import {
  issuePendingGrants,
  shopsWithStalePendingGrants,
} from "~/services/rewards/grants/issue.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

// Issue #4 scope 4: rewards granted without points for an occasion (welcome, birthday, tier
// entry), through the redemption service from a job, once per member and occasion.
const silver = { id: "silver", name: "Silver", threshold: { kind: "spend_365d", minor: 10_000 } };

async function setUp(bonuses: Record<string, unknown>) {
  const store = newStore();
  const member = await memberWithPoints(0, store);
  await catalog(member.shopId, FIVE_OFF);
  await prisma.$transaction((tx) =>
    saveProgram(tx, member.shopId, { bonuses, tiers: [silver] }, null),
  );
  const api = adminCallFor(member.api);
  const grants = () =>
    prisma.rewardGrant.findMany({
      where: { shopId: member.shopId, customerId: member.customerId },
      orderBy: { createdAt: "asc" },
    });
  const issued = async () =>
    (await eventsOf(member.customer.id, "reward.issued")).map((e) => e.payload);
  return { store, member, api, grants, issued };
}

describe("rewards granted without points", () => {
  it("welcome: one reward when the account is registered, however often Shopify says so", async () => {
    const s = await setUp({ welcomeRewardHandle: FIVE_OFF.handle });
    const enabled = { ...s.member.customer, state: "enabled" };

    await deliver("customers/enable", enabled);
    await deliver("customers/enable", enabled);
    const first = await issuePendingGrants(s.member.shopId, s.api);
    const second = await issuePendingGrants(s.member.shopId, s.api);

    expect([first.issued, second.issued]).toEqual([1, 0]);
    expect((await s.grants()).map((g) => [g.occasion, g.state])).toEqual([["welcome", "issued"]]);
    expect(await s.issued()).toEqual([
      expect.objectContaining({ source: "welcome", points_spent: 0, reward_name: "$5 off" }),
    ]);
    expect(s.store.adminApi.discountCodes.size).toBe(1);
    expect((await memberOf(s.member.customer.id))?.pointsBalance).toBe(0);
    await expectBalanceMatchesLedger(s.member.customer.id);
  });

  it("tier entry: one reward on entering a tier, not again while staying in it", async () => {
    const s = await setUp({ tierEntryRewardHandle: FIVE_OFF.handle });
    const order = () =>
      deliver(
        "orders/paid",
        s.store.addPaidOrder(s.member.customer, [{ title: "Coat", price: "150.00", quantity: 1 }]),
      );

    await order();
    await issuePendingGrants(s.member.shopId, s.api);
    await order();
    await issuePendingGrants(s.member.shopId, s.api);

    expect((await memberOf(s.member.customer.id))?.tierId).toBe("silver");
    expect((await s.grants()).map((g) => [g.occasion, g.idempotencyKey, g.state])).toEqual([
      ["tier_entry", expect.stringMatching(/^grant:tier_entry:.+:silver$/), "issued"],
    ]);
    expect((await s.issued()).map((p) => (p as { source: string }).source)).toEqual(["tier_entry"]);
  });

  it("Shopify unavailable: the grant stays pending for the job's retry and the sweep, then issues once", async () => {
    const s = await setUp({ welcomeRewardHandle: FIVE_OFF.handle });
    await deliver("customers/enable", { ...s.member.customer, state: "enabled" });
    s.store.adminApi.injectFault({ field: "discountCodeBasicCreate", kind: "http500" });

    const down = await issuePendingGrants(s.member.shopId, s.api);
    const stale = await shopsWithStalePendingGrants(new Date(Date.now() + 3_600_000));
    const up = await issuePendingGrants(s.member.shopId, s.api);

    expect(down).toEqual({ issued: 0, failed: 0, waiting: 1, more: false });
    expect(stale).toContain(s.member.shopId);
    expect(up).toEqual({ issued: 1, failed: 0, waiting: 0, more: false });
    expect((await s.grants()).map((g) => [g.state, g.attempts])).toEqual([["issued", 1]]);
    expect(s.store.adminApi.discountCodes.size).toBe(1);
  });

  it("birthday: one reward in the birth month, once a year", async () => {
    const s = await setUp({ birthdayRewardHandle: FIVE_OFF.handle });
    await prisma.member.update({
      where: { id: (await memberOf(s.member.customer.id))!.id },
      data: { birthMonth: 3, birthDay: 14 },
    });

    await runDailyMaintenance(s.member.shopId, new Date("2027-03-01T12:00:00Z"));
    await runDailyMaintenance(s.member.shopId, new Date("2027-03-02T12:00:00Z"));
    await issuePendingGrants(s.member.shopId, s.api);
    await runDailyMaintenance(s.member.shopId, new Date("2028-03-01T12:00:00Z"));
    await issuePendingGrants(s.member.shopId, s.api);

    expect((await s.grants()).map((g) => [g.idempotencyKey.split(":").pop(), g.state])).toEqual([
      ["2027", "issued"],
      ["2028", "issued"],
    ]);
    expect((await s.issued()).map((p) => (p as { source: string }).source)).toEqual([
      "birthday",
      "birthday",
    ]);
    // birth_month.entered waited for the reward: it carries the code it announces, once a year
    const codes = await prisma.redemption.findMany({
      where: { memberId: (await memberOf(s.member.customer.id))!.id },
      orderBy: { createdAt: "asc" },
    });
    const entered = (await eventsOf(s.member.customer.id, "birth_month.entered")).map(
      (e) => e.payload,
    );
    expect(entered).toEqual(
      codes.map((code, n) =>
        expect.objectContaining({
          year: 2027 + n,
          reward_name: "$5 off",
          reward_code: code.code,
          reward_expires_at: code.expiresAt?.toISOString() ?? null,
        }),
      ),
    );
  });

  it("birthday: a reward Shopify refuses still announces the birth month, without a reward", async () => {
    const s = await setUp({ birthdayRewardHandle: "no-such-reward", birthdayPoints: 30 });
    await prisma.member.update({
      where: { id: (await memberOf(s.member.customer.id))!.id },
      data: { birthMonth: 3, birthDay: 14 },
    });
    await runDailyMaintenance(s.member.shopId, new Date("2027-03-01T12:00:00Z"));
    expect(await eventsOf(s.member.customer.id, "birth_month.entered")).toEqual([]);

    await issuePendingGrants(s.member.shopId, s.api);
    await issuePendingGrants(s.member.shopId, s.api);

    const entered = (await eventsOf(s.member.customer.id, "birth_month.entered")).map(
      (e) => e.payload,
    );
    expect(entered).toEqual([
      {
        birth_month: 3,
        birth_day: 14,
        year: 2027,
        points_awarded: 30,
        reward_name: null,
        reward_code: null,
        reward_expires_at: null,
      },
    ]);
  });

  it("a reward the merchant removed fails visibly, with the reason, and is not retried", async () => {
    const s = await setUp({ welcomeRewardHandle: "no-such-reward" });

    await deliver("customers/enable", { ...s.member.customer, state: "enabled" });
    const report = await issuePendingGrants(s.member.shopId, s.api);
    await issuePendingGrants(s.member.shopId, s.api);

    expect(report).toEqual({ issued: 0, failed: 1, waiting: 0, more: false });
    // Failed grants are not picked up again by the sweep either.
    expect(await shopsWithStalePendingGrants(new Date(Date.now() + 3_600_000))).not.toContain(
      s.member.shopId,
    );
    const [grant] = await s.grants();
    expect(grant).toMatchObject({ state: "failed" });
    expect(grant?.lastError).toMatch(/no-such-reward|not found|no reward/i);
    expect(await s.issued()).toEqual([]);
  });

  it("a run reads page after page until none is left, or stops at its time budget and says more", async () => {
    const s = await setUp({});
    const pending = async (count: number, from: number) => {
      for (let i = from; i < from + count; i++) {
        const customer = s.store.addCustomer({ email: `page${i}@example.com` });
        await deliver("customers/create", customer);
        const member = (await memberOf(customer.id))!;
        await prisma.rewardGrant.create({
          data: {
            shopId: member.shopId,
            memberId: member.id,
            customerId: member.customerId,
            occasion: "one_time_campaign",
            rewardHandle: FIVE_OFF.handle,
            idempotencyKey: `grant:campaign:paging:${member.id}`,
            // Apart in time so the pages' order is the order they were made in.
            createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
          },
        });
      }
    };
    // GIVEN 7 pending grants, read 3 at a time
    await pending(7, 0);
    const all = await issuePendingGrants(s.member.shopId, s.api, { pageSize: 3 });
    // GIVEN 5 more, and a budget that is spent after the first page
    await pending(5, 7);
    const first = await issuePendingGrants(s.member.shopId, s.api, { pageSize: 3, budgetMs: 0 });
    const rest = await issuePendingGrants(s.member.shopId, s.api, { pageSize: 3, budgetMs: 0 });

    expect(all).toEqual({ issued: 7, failed: 0, waiting: 0, more: false });
    expect(first).toEqual({ issued: 3, failed: 0, waiting: 0, more: true });
    expect(rest).toEqual({ issued: 2, failed: 0, waiting: 0, more: false });
    expect(s.store.adminApi.discountCodes.size).toBe(12);
  });

  it("a grant Shopify cannot take now is tried once per run, not again on every page", async () => {
    const s = await setUp({ welcomeRewardHandle: FIVE_OFF.handle });
    await deliver("customers/enable", { ...s.member.customer, state: "enabled" });
    s.store.adminApi.injectFault({ field: "discountCodeBasicCreate", kind: "http500" });

    const report = await issuePendingGrants(s.member.shopId, s.api, { pageSize: 1 });

    expect(report).toEqual({ issued: 0, failed: 0, waiting: 1, more: false });
  });
});
