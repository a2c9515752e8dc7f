import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import * as reviewRoute from "~/routes/app.store-credit";
import { saveProgram } from "~/services/program/versions.server";
import { sendStoreCredit } from "~/services/store-credit/send.server";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { deliver, newStore } from "../../support/deliveries";
import { adminCallFor, memberWithPoints } from "../../support/rewards";

// Store credit whose outcome Shopify's balance cannot tell (ADR 0030) is listed for the merchant,
// who can have it read back now or mark it resolved; neither action ever sends credit.
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

beforeAll(installTestShop);

/** A $4.00 cashback credit whose answer was lost while the shopper spent $1.50: in review. */
async function creditInReview() {
  const store = newStore();
  const member = await memberWithPoints(0, store);
  await prisma.$transaction((tx) =>
    saveProgram(
      tx,
      member.shopId,
      { storeCredit: { enabled: true, cashbackBasisPoints: 500 } },
      null,
    ),
  );
  const api = adminCallFor(member.api, 100);
  const order = () =>
    deliver(
      "orders/paid",
      store.addPaidOrder(member.customer, [{ title: "Lamp", price: "40.00", quantity: 2 }]),
    );
  await order();
  await sendStoreCredit(member.shopId, api);
  await order();
  store.adminApi.injectFault({ field: "storeCreditAccountCredit", kind: "http500", applied: true });
  await sendStoreCredit(member.shopId, api);
  const account = store.adminApi.storeCreditAccountFor(member.customer.id, "USD")!;
  store.adminApi.debit(account, 150, member.api.now());
  await sendStoreCredit(member.shopId, api, later(10));
  const row = await prisma.storeCreditTransaction.findFirstOrThrow({
    where: { shopId: member.shopId, customerId: member.customerId, state: "needs_review" },
  });
  const credits = () => account.transactions.filter((t) => t.kind === "credit").length;
  return { member, api, row, credits };
}

const load = async () =>
  dataOf(await callLoader(reviewRoute.loader, await adminRequest("/app/store-credit")));
const act = async (form: Record<string, string>) =>
  callRouteAction(reviewRoute.action, await adminRequest("/app/store-credit", form));

describe("store credit needing review", () => {
  it("lists the row with its amount, customer and reason", async () => {
    const { row } = await creditInReview();

    const page = await load();

    expect(page.rows.find((r) => r.id === row.id)).toMatchObject({
      kind: "credit",
      amountFormatted: "$4.00",
      orderId: row.orderId!.toString(),
      reason: expect.stringMatching(/needs review: the balance went from/),
    });
  });

  it("'check again' reads the balance back at the next run instead of tomorrow, sending nothing", async () => {
    const { member, api, row, credits } = await creditInReview();
    // Left alone, the row is looked at a day later.
    expect(await sendStoreCredit(member.shopId, api, later(20))).toMatchObject({ needsReview: 0 });

    expect(await act({ intent: "check", id: row.id })).toEqual({
      ok: true,
      message: "The balance will be read again within a few minutes.",
    });
    const report = await sendStoreCredit(member.shopId, api, later(20));

    // Read back (still ambiguous, so still in review), and no third credit was sent.
    expect(report).toMatchObject({ needsReview: 1, applied: 0 });
    expect(credits()).toBe(2);
    expect((await prisma.storeCreditTransaction.findUnique({ where: { id: row.id } }))?.state).toBe(
      "needs_review",
    );
  });

  it("'mark resolved' takes it off the list once; the sender never touches it again", async () => {
    const { member, api, row, credits } = await creditInReview();

    const [first, second] = await Promise.all([
      act({ intent: "resolve", id: row.id }),
      act({ intent: "resolve", id: row.id }),
    ]);
    await sendStoreCredit(member.shopId, api, later(60 * 25));

    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const stored = await prisma.storeCreditTransaction.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({ state: "resolved", resolvedAt: expect.any(Date) });
    expect((await load()).rows.map((r) => r.id)).not.toContain(row.id);
    expect(credits()).toBe(2);
    expect(await act({ intent: "check", id: row.id })).toMatchObject({ ok: false });
  });

  it("refuses unreadable requests and rows of another shop without changing anything", async () => {
    const { row } = await creditInReview();
    await prisma.storeCreditTransaction.update({
      where: { id: row.id },
      data: { shopId: (await otherShop()).id },
    });

    expect(await act({ intent: "resolve", id: "not-a-uuid" })).toMatchObject({ ok: false });
    expect(await act({ intent: "delete", id: row.id })).toMatchObject({ ok: false });
    expect(await act({ intent: "resolve", id: row.id })).toMatchObject({ ok: false });
    expect(
      (await prisma.storeCreditTransaction.findUniqueOrThrow({ where: { id: row.id } })).state,
    ).toBe("needs_review");
  });
});

async function otherShop() {
  return prisma.shop.upsert({
    where: { domain: "other-review.myshopify.com" },
    create: { domain: "other-review.myshopify.com" },
    update: {},
  });
}
