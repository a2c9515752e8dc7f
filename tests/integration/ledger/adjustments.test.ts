import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { setBirthday } from "~/services/members/birthday.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";

async function member() {
  const store = newStore();
  const customer = store.addCustomer({ email: `m${store.newId()}@example.com` });
  await deliver("customers/create", customer);
  const shop = await prisma.shop.findFirstOrThrow();
  return { shopId: shop.id, customerId: BigInt(customer.id), id: customer.id };
}

describe("manual and Flow point adjustments", () => {
  it("credits and debits once per idempotency key, with events carrying the note", async () => {
    const m = await member();
    const add = {
      ...m,
      points: 75,
      note: "Thanks for the review",
      source: "shopify_flow_action" as const,
    };

    await adjustPoints({ ...add, idempotencyKey: "flow:run-1" });
    const again = await adjustPoints({ ...add, idempotencyKey: "flow:run-1" });
    await adjustPoints({
      ...m,
      points: -25,
      note: null,
      source: "manual",
      idempotencyKey: "admin:1",
    });

    expect(again).toEqual({ applied: false, balance: 75 });
    expect((await memberOf(m.id))?.pointsBalance).toBe(50);
    const [added] = await eventsOf(m.id, "points.added");
    expect(added?.payload).toEqual({
      points: 75,
      source: "shopify_flow_action",
      order_id: null,
      order_name: null,
      note: "Thanks for the review",
    });
    const [subtracted] = await eventsOf(m.id, "points.subtracted");
    expect(subtracted?.payload).toMatchObject({ points: 25, source: "manual" });
    await expectBalanceMatchesLedger(m.id);
  });

  it("refuses a debit beyond the balance unless negative balances are allowed", async () => {
    const m = await member();
    const debit = { ...m, points: -10, note: null, source: "shopify_flow_action" as const };

    await expect(adjustPoints({ ...debit, idempotencyKey: "flow:d1" })).rejects.toMatchObject({
      code: "insufficient_points",
    });
    expect(await prisma.ledgerEntry.count({ where: { idempotencyKey: "flow:d1" } })).toBe(0);

    await adjustPoints({ ...debit, idempotencyKey: "flow:d2", allowNegative: true });
    expect((await memberOf(m.id))?.pointsBalance).toBe(-10);
    await expectBalanceMatchesLedger(m.id);
  });

  it("names an unknown customer instead of creating a member", async () => {
    const shop = await prisma.shop.findFirstOrThrow();
    await expect(
      adjustPoints({
        shopId: shop.id,
        customerId: 404n,
        points: 5,
        note: null,
        source: "manual",
        idempotencyKey: "admin:404",
      }),
    ).rejects.toMatchObject({ code: "member_not_found" });
  });
});

describe("birthdays", () => {
  it("captures a birthday once, and a change with the previous month", async () => {
    const m = await member();

    expect(await setBirthday(m.shopId, m.customerId, { month: 2, day: 29 })).toEqual({
      changed: true,
    });
    expect(await setBirthday(m.shopId, m.customerId, { month: 2, day: 29 })).toEqual({
      changed: false,
    });
    await setBirthday(m.shopId, m.customerId, { month: 7, day: 4, year: 1990 });

    const events = await eventsOf(m.id, "birth_month.captured");
    expect(events.map((e) => e.payload)).toEqual([
      { birth_month: 2, birth_day: 29, previous_birth_month: null },
      { birth_month: 7, birth_day: 4, previous_birth_month: 2 },
    ]);
  });

  it("rejects a day that does not exist with a message a shopper can read", async () => {
    const m = await member();
    await expect(setBirthday(m.shopId, m.customerId, { month: 4, day: 31 })).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect(await eventsOf(m.id, "birth_month.captured")).toEqual([]);
  });
});
