import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action, loader } from "~/routes/app.members.$id";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";
import { catalog, FIVE_OFF, routeAdminApiToStandIn } from "../../support/rewards";

// OMNI's "deactivating a reward": staff withdraw an unused reward from the member page; its
// Shopify code stops working and the points come back (issue #21: reward_redemption_reverted).
const store = newStore();
const members: Record<"ana" | "bo", { customerId: number; memberId: string }> = {} as never;

beforeAll(async () => {
  await installTestShop();
  await routeAdminApiToStandIn(() => store, "shpat_test", { session: "existing" });
  for (const name of ["ana", "bo"] as const) {
    const customer = store.addCustomer({ email: `${name}-void@example.com`, first_name: name });
    await deliver("customers/create", customer);
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "Coat", price: "700.00", quantity: 1 }]),
    );
    const member = (await memberOf(customer.id))!;
    members[name] = { customerId: customer.id, memberId: member.id };
  }
  const shop = await prisma.shop.findFirstOrThrow();
  await catalog(shop.id, FIVE_OFF);
});

async function post(memberId: string, form: Record<string, string>) {
  return callRouteAction(action, await adminRequest(`/app/members/${memberId}`, form), {
    id: memberId,
  });
}

async function page(memberId: string) {
  return dataOf(
    await callLoader(loader, await adminRequest(`/app/members/${memberId}`), { id: memberId }),
  );
}

describe("staff void a member's unused reward", () => {
  it("deactivates the code at Shopify and returns the points, once", async () => {
    const { customerId, memberId } = members.ana;
    const before = (await memberOf(customerId))!.pointsBalance;
    await post(memberId, { intent: "redeem", reward: FIVE_OFF.handle, formToken: randomUUID() });
    const [reward] = (await page(memberId)).issued;
    expect(reward).toMatchObject({ name: FIVE_OFF.name, state: "issued", voidable: true });

    const voided = await post(memberId, { intent: "void", redemption: reward!.id });
    const again = await post(memberId, { intent: "void", redemption: reward!.id });

    expect(voided).toEqual({
      ok: true,
      intent: "void",
      message: "Reward voided: its code no longer works, and 500 points were returned.",
    });
    expect(again).toMatchObject({
      ok: false,
      errors: { form: expect.stringMatching(/^Only an unused discount code/) },
    });
    expect((await memberOf(customerId))!.pointsBalance).toBe(before);
    expect(store.adminApi.discountByCode(reward!.code!)?.endsAt?.getTime()).toBeLessThanOrEqual(
      Date.now(),
    );
    expect((await eventsOf(customerId, "reward.expired")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ code: reward!.code, reason: "voided" }),
    ]);
    expect((await eventsOf(customerId, "points.added")).at(-1)?.payload).toMatchObject({
      points: 500,
      source: "reward_redemption_reverted",
    });
    const [shown] = (await page(memberId)).issued;
    expect(shown).toMatchObject({ state: "voided", voidable: false });
    await expectBalanceMatchesLedger(customerId);
  });

  it("refuses to void another member's reward from this member's page", async () => {
    await post(members.bo.memberId, {
      intent: "redeem",
      reward: FIVE_OFF.handle,
      formToken: randomUUID(),
    });
    const [theirs] = (await page(members.bo.memberId)).issued;
    const refused = await post(members.ana.memberId, { intent: "void", redemption: theirs!.id });
    expect(refused).toMatchObject({
      ok: false,
      errors: { form: expect.stringMatching(/is not this member's/) },
    });
    expect((await page(members.bo.memberId)).issued[0]).toMatchObject({ state: "issued" });
  });
});
