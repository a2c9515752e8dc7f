import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/app.members.$id";
import { sendStoreCredit } from "~/services/store-credit/send.server";
import { adminRequest, callRouteAction, installTestShop } from "../../support/admin";
import { eventsOf } from "../../support/deliveries";
import { adminCallFor, memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";

// Staff issue and take store credit from the member page (source manual, issue #21): Shopify
// holds the balance, the row goes through the cashback sender's exactly-once path, and the events
// follow Shopify's answer.
let member: Awaited<ReturnType<typeof memberWithPoints>>;
let memberId: string;

beforeAll(async () => {
  await installTestShop();
  member = await memberWithPoints(0);
  await routeAdminApiToStandIn(() => member.store, "shpat_test", { session: "existing" });
  memberId = (await prisma.member.findFirstOrThrow({ where: { customerId: member.customerId } }))
    .id;
});

async function post(form: Record<string, string>) {
  return callRouteAction(
    action,
    await adminRequest(`/app/members/${memberId}`, { intent: "storeCredit", ...form }),
    { id: memberId },
  );
}

const shopifyBalance = () => {
  const account = member.store.adminApi.storeCreditAccountFor(member.customer.id, "USD");
  return account ? member.store.adminApi.storeCreditBalance(account, member.api.now()) : 0;
};

describe("staff issue and take store credit on the member page", () => {
  it("issues once per form at Shopify, then announces it with source manual", async () => {
    const formToken = randomUUID();
    const form = { direction: "credit", amount: "12.50", note: "Late delivery", formToken };
    const first = await post(form);
    const again = await post(form);
    expect(first).toEqual({
      ok: true,
      intent: "storeCredit",
      message: "$12.50 of store credit is on its way to the customer's Shopify account.",
    });
    expect(again).toMatchObject({ ok: true });

    expect(await sendStoreCredit(member.shopId, adminCallFor(member.api))).toMatchObject({
      applied: 1,
    });
    expect(shopifyBalance()).toBe(1250);
    const credited = await eventsOf(member.customer.id, "store_credit.credited");
    expect(credited.map((e) => e.payload)).toEqual([
      expect.objectContaining({ amount_minor: 1250, source: "manual", balance_minor: 1250 }),
    ]);
    const mirror = await prisma.member.findUniqueOrThrow({ where: { id: memberId } });
    expect(mirror).toMatchObject({ storeCreditMinor: 1250, storeCreditCurrency: "USD" });
  });

  it("takes at most what is left, with source manual", async () => {
    await post({
      direction: "debit",
      amount: "20",
      note: "Goodwill reversed",
      formToken: randomUUID(),
    });
    await sendStoreCredit(member.shopId, adminCallFor(member.api));
    expect(shopifyBalance()).toBe(0);
    const debited = await eventsOf(member.customer.id, "store_credit.debited");
    expect(debited.map((e) => e.payload)).toEqual([
      expect.objectContaining({ amount_minor: 1250, source: "manual", balance_minor: 0 }),
    ]);
  });

  it("refuses an amount the shop's currency cannot hold, next to the amount, sending nothing", async () => {
    const rows = await prisma.storeCreditTransaction.count();
    for (const amount of ["0", "-5", "1.234", "abc", "20000"]) {
      const refused = await post({
        direction: "credit",
        amount,
        note: "x",
        formToken: randomUUID(),
      });
      expect(refused, amount).toMatchObject({ ok: false, intent: "storeCredit" });
      expect(Object.keys(refused.ok ? {} : refused.errors), amount).toEqual(["amount"]);
    }
    expect(await prisma.storeCreditTransaction.count()).toBe(rows);
  });
});
