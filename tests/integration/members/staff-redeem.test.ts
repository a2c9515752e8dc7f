import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/app.members.$id";
import { adminRequest, callRouteAction, installTestShop } from "../../support/admin";
import { deliver, expectBalanceMatchesLedger, memberOf, newStore } from "../../support/deliveries";
import { catalog, FIVE_OFF, routeAdminApiToStandIn } from "../../support/rewards";

const store = newStore();
let customer: ReturnType<typeof store.addCustomer>;
let memberId: string;

beforeAll(async () => {
  await installTestShop();
  // The admin's Shopify calls (the discount code) go to the stand-in holding `store`.
  await routeAdminApiToStandIn(() => store, "shpat_test", { session: "existing" });
  customer = store.addCustomer({ email: "counter@example.com", first_name: "Ana" });
  await deliver("customers/create", customer);
  await deliver(
    "orders/paid",
    store.addPaidOrder(customer, [{ title: "Coat", price: "700.00", quantity: 1 }]),
  );
  const shop = await prisma.shop.findFirstOrThrow();
  await catalog(shop.id, FIVE_OFF);
  memberId = (await prisma.member.findFirstOrThrow({ where: { customerId: BigInt(customer.id) } }))
    .id;
});

async function redeem(form: Record<string, string>) {
  return callRouteAction(
    action,
    await adminRequest(`/app/members/${memberId}`, { intent: "redeem", ...form }),
    { id: memberId },
  );
}

describe("staff redeem a reward for a member", () => {
  it("spends the member's points once for a code, however often the form is sent", async () => {
    const before = (await memberOf(customer.id))!.pointsBalance;
    const formToken = randomUUID();
    const first = await redeem({ reward: FIVE_OFF.handle, formToken });
    const again = await redeem({ reward: FIVE_OFF.handle, formToken });

    expect(first).toMatchObject({ ok: true, intent: "redeem" });
    expect(first.ok && first.message).toMatch(/^\$5 off issued for 500 points\. Code: \S+/);
    expect(again).toEqual(first);
    expect((await memberOf(customer.id))!.pointsBalance).toBe(before - 500);
    expect(await prisma.redemption.count({ where: { state: "issued" } })).toBe(1);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("says in the staff member's words why a redemption cannot happen, spending nothing", async () => {
    const before = (await memberOf(customer.id))!.pointsBalance;
    const unknown = await redeem({ reward: "no-such-reward", formToken: randomUUID() });
    expect(unknown).toEqual({
      ok: false,
      intent: "redeem",
      errors: { reward: "This reward no longer exists; reload the page." },
    });
    const missing = await redeem({ reward: "", formToken: randomUUID() });
    expect(missing).toMatchObject({ ok: false, errors: { reward: "Choose a reward" } });
    expect((await memberOf(customer.id))!.pointsBalance).toBe(before);
  });
});
