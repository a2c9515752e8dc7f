import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as addPoints } from "~/routes/flow.add-points";
import { action as setBirthday } from "~/routes/flow.set-birthday";
import { action as setVipTier } from "~/routes/flow.set-vip-tier";
import { action as subtractPoints } from "~/routes/flow.subtract-points";
import { signedFlowActionRequest } from "../../../sandbox/shopify/signing";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";
import { routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, callAction, TEST_SHOP } from "../../support/webhooks";

let customerId: number;
let run = 0;

function flow(
  path: string,
  handle: string,
  properties: Record<string, unknown>,
  actionRunId = `run-${++run}`,
) {
  return signedFlowActionRequest({
    url: `${APP_URL}${path}`,
    secret: API_SECRET,
    shop: TEST_SHOP,
    handle,
    actionRunId,
    properties,
  });
}

const store = newStore();

beforeAll(async () => {
  // A customer the app has not seen is read from Shopify (here its stand-in, holding `store`).
  await routeAdminApiToStandIn(() => store, "shpat_flow");
  const customer = store.addCustomer({ email: "flow@example.com" });
  await deliver("customers/create", customer);
  customerId = customer.id;
  const shop = await prisma.shop.findFirstOrThrow();
  await prisma.programVersion.create({
    data: {
      shopId: shop.id,
      version: 1,
      config: {
        tiers: [
          {
            id: "silver",
            name: "Silver",
            threshold: { kind: "spend_365d", minor: 10_000 },
            earnMultiplier: 1,
            entryBonusPoints: 0,
          },
          {
            id: "gold",
            name: "Gold",
            threshold: { kind: "spend_365d", minor: 50_000 },
            earnMultiplier: 1,
            entryBonusPoints: 0,
          },
        ],
      },
    },
  });
});

describe("Flow actions", () => {
  it("Add loyalty points: 200 once per action_run_id, a resend gets the first answer", async () => {
    const properties = { customer_id: String(customerId), points: "40", note: "Left a review" };

    const first = await callAction(
      addPoints,
      flow("/flow/add-points", "loyalty-add-points", properties, "run-add"),
    );
    const resend = await callAction(
      addPoints,
      flow("/flow/add-points", "loyalty-add-points", properties, "run-add"),
    );

    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, applied: true, balance: 40 });
    expect(resend.status).toBe(200);
    expect(await resend.json()).toEqual({ ok: true, applied: true, balance: 40 });
    expect((await memberOf(customerId))?.pointsBalance).toBe(40);
    const [added] = await eventsOf(customerId, "points.added");
    expect(added?.payload).toMatchObject({
      points: 40,
      source: "shopify_flow_action",
      note: "Left a review",
    });
  });

  it("Subtract loyalty points: 422 with a readable message when points are short", async () => {
    const response = await callAction(
      subtractPoints,
      flow("/flow/subtract-points", "loyalty-subtract-points", {
        customer_id: customerId,
        points: 1000,
      }),
    );

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ ok: false, code: "insufficient_points" });
    await expectBalanceMatchesLedger(customerId);
  });

  it("makes a Shopify customer the app never saw a member, announced once (source shopify_flow_action)", async () => {
    const before = store.addCustomer({ email: "before-install@example.com", first_name: "Bea" });
    const added = await callAction(
      addPoints,
      flow("/flow/add-points", "loyalty-add-points", { customer_id: String(before.id), points: 7 }),
    );
    expect(added.status).toBe(200);
    expect(await memberOf(before.id)).toMatchObject({ pointsBalance: 7, firstName: "Bea" });
    expect((await eventsOf(before.id, "member.activated")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ source: "shopify_flow_action" }),
    ]);
  });

  it("answers 404 for a customer Shopify does not know and 422 for bad properties", async () => {
    const unknown = await callAction(
      addPoints,
      flow("/flow/add-points", "loyalty-add-points", { customer_id: "999999", points: 5 }),
    );
    const bad = await callAction(
      addPoints,
      flow("/flow/add-points", "loyalty-add-points", {
        customer_id: String(customerId),
        points: "-3",
      }),
    );

    expect(unknown.status).toBe(404);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toMatch(/points/);
  });

  it("refuses a request whose HMAC is wrong and changes nothing", async () => {
    const forged = signedFlowActionRequest({
      url: `${APP_URL}/flow/add-points`,
      secret: "not-the-secret",
      shop: TEST_SHOP,
      handle: "loyalty-add-points",
      actionRunId: "run-forged",
      properties: { customer_id: String(customerId), points: 500 },
    });

    const response = await callAction(addPoints, forged);

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await prisma.ledgerEntry.count({ where: { idempotencyKey: "flow:run-forged" } })).toBe(
      0,
    );
  });

  it("Set VIP tier by name with a lock, and Set birthday", async () => {
    const tier = await callAction(
      setVipTier,
      flow("/flow/set-vip-tier", "loyalty-set-vip-tier", {
        customer_id: customerId,
        tier: "gold",
        lock_until: "2099-12-31",
      }),
    );
    const birthday = await callAction(
      setBirthday,
      flow("/flow/set-birthday", "loyalty-set-birthday", {
        customer_id: customerId,
        month: 2,
        day: 29,
      }),
    );

    expect(tier.status).toBe(200);
    expect((await memberOf(customerId))?.tierId).toBe("gold");
    const [updated] = await eventsOf(customerId, "tier.updated");
    expect(updated?.payload).toMatchObject({
      change: "manual_assign",
      current_tier: "Gold",
      locked_until: "2099-12-31",
    });
    expect(birthday.status).toBe(200);
    expect((await memberOf(customerId))?.birthMonth).toBe(2);
  });
});
