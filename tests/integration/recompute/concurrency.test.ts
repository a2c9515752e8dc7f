import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { programInForce, saveProgram } from "~/services/program/versions.server";
import { recomputeMembers } from "~/services/recompute/run.server";
import { ensureShop } from "~/services/shops/ensure.server";

// Batches run concurrently on PostgreSQL (ADR 0048): two shops seeded alike, one recomputed a
// batch at a time and one four batches at a time, must end alike, member by member, with the
// same events and bonuses; and a second concurrent run must change nothing.

const NOW = new Date("2027-06-01T12:00:00Z");
const DAY = 86_400_000;
const COUNT = 240;
const tier = (id: string, minor: number, entryBonusPoints = 0) => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  threshold: { kind: "spend_365d", minor },
  earnMultiplier: 1,
  entryBonusPoints,
});
const BEFORE = [tier("bronze", 5_000), tier("silver", 10_000)];
const AFTER = [tier("silver", 10_000, 20), tier("gold", 50_000, 50)];

/** A shop whose members were placed under BEFORE (some on Bronze, which AFTER deletes). */
async function seedShop(domain: string) {
  const shop = await ensureShop(prisma, domain);
  await saveProgram(prisma, shop.id, { tiers: BEFORE }, "test");
  await prisma.member.createMany({
    data: Array.from({ length: COUNT }, (_, i) => ({
      shopId: shop.id,
      customerId: BigInt(1_000 + i),
      tierId: i % 4 === 0 ? "bronze" : i % 4 === 1 ? "silver" : null,
      tierEnteredAt: i % 4 < 2 ? new Date(NOW.getTime() - 10 * DAY) : null,
      tierPeriodEndsAt: i % 4 < 2 ? new Date(NOW.getTime() + 355 * DAY) : null,
      pointsBalance: i * 3,
      lifetimeEarned: i * 5,
    })),
  });
  // Two orders each, one of them outside the window for every third member.
  await prisma.orderRecord.createMany({
    data: Array.from({ length: COUNT * 2 }, (_, k) => {
      const i = Math.floor(k / 2);
      return {
        shopId: shop.id,
        orderId: BigInt(5_000 + k),
        customerId: BigInt(1_000 + i),
        currency: "USD",
        spendMinor: (i * 7_919) % 40_000,
        paidAt: new Date(NOW.getTime() - (k % 2 === 1 && i % 3 === 0 ? 400 : 20) * DAY),
      };
    }),
  });
  const previous = await programInForce(prisma, shop.id);
  const saved = await saveProgram(prisma, shop.id, { tiers: AFTER }, "test");
  return { shopId: shop.id, previous: previous.config, saved };
}

/** What the recompute left, by customer: placement, balance, events and ledger entries. */
async function outcome(shopId: string) {
  const members = await prisma.member.findMany({
    where: { shopId },
    orderBy: { customerId: "asc" },
    select: {
      customerId: true,
      tierId: true,
      tierEnteredAt: true,
      tierPeriodEndsAt: true,
      pointsBalance: true,
      lifetimeEarned: true,
      events: { select: { type: true, payload: true }, orderBy: { type: "asc" } },
      ledgerEntries: { select: { points: true, source: true, balanceAfter: true } },
    },
  });
  return members;
}

describe("recompute batches in parallel", () => {
  it("ends as one batch at a time does, and a second run changes nothing", async () => {
    const serial = await seedShop("recompute-serial.myshopify.com");
    const parallel = await seedShop("recompute-parallel.myshopify.com");
    const run = (shop: typeof serial, concurrency: number) =>
      recomputeMembers(
        shop.shopId,
        shop.previous,
        shop.saved.config,
        shop.saved.changed,
        NOW,
        25,
        undefined,
        concurrency,
      );

    const one = await run(serial, 1);
    const four = await run(parallel, 4);
    const again = await run(parallel, 4);

    const totals = ({ batches, members, tierChanges, entryBonuses }: typeof one) => ({
      batches,
      members,
      tierChanges,
      entryBonuses,
    });
    expect(totals(four)).toEqual(totals(one));
    expect(one.batches).toBe(Math.floor(COUNT / 25) + 1);
    expect(one.tierChanges).toBeGreaterThan(50);
    expect(one.entryBonuses).toBeGreaterThan(20);
    expect(four.concurrency).toBe(4);
    expect(await outcome(parallel.shopId)).toEqual(await outcome(serial.shopId));
    expect(totals(again)).toEqual({ ...totals(one), tierChanges: 0, entryBonuses: 0 });
  });

  it("starts no batch after one fails, and throws that failure once the running ones end", async () => {
    const shop = await seedShop("recompute-failing.myshopify.com");
    let calls = 0;
    const failing = recomputeMembers(
      shop.shopId,
      shop.previous,
      shop.saved.config,
      shop.saved.changed,
      NOW,
      25,
      async () => {
        calls += 1;
        throw new Error("progress write failed");
      },
      2,
    );
    await expect(failing).rejects.toThrow("progress write failed");
    // The first commit's progress write fails; at most the other batch then in flight commits.
    const moved = await prisma.member.findMany({
      where: { shopId: shop.shopId, tierEnteredAt: NOW },
      select: { customerId: true },
    });
    const batches = new Set(moved.map((m) => Math.floor((Number(m.customerId) - 1_000) / 25)));
    expect(moved.length).toBeGreaterThan(0);
    expect(batches.size).toBeLessThanOrEqual(2);
    expect(calls).toBe(1);
  });

  it("refuses a batch size or concurrency that is not a positive integer, writing nothing", async () => {
    const shop = await seedShop("recompute-bad-input.myshopify.com");
    const before = await outcome(shop.shopId);
    const call = (batchSize: number, concurrency: number) =>
      recomputeMembers(
        shop.shopId,
        shop.previous,
        shop.saved.config,
        shop.saved.changed,
        NOW,
        batchSize,
        undefined,
        concurrency,
      );
    await expect(call(0, 2)).rejects.toThrow(/batch size must be a positive integer/);
    await expect(call(10, 0)).rejects.toThrow(/concurrency must be a positive integer/);
    await expect(call(10, 1.5)).rejects.toThrow(/concurrency must be a positive integer/);
    expect(await outcome(shop.shopId)).toEqual(before);
  });
});
