import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as grant } from "~/routes/flow.grant-reward";
import { signedFlowActionRequest } from "../../../sandbox/shopify/signing";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { eventsOf, memberOf } from "../../support/deliveries";
import { catalog, FIVE_OFF, memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, callAction, TEST_SHOP } from "../../support/webhooks";

let shopifyStore: SandboxStore | null = null;
let run = 0;

beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, "shpat_flow_grant"));

function flow(properties: Record<string, unknown>, actionRunId = `grant-${++run}`) {
  return signedFlowActionRequest({
    url: `${APP_URL}/flow/grant-reward`,
    secret: API_SECRET,
    shop: TEST_SHOP,
    handle: "loyalty-grant-reward",
    actionRunId,
    properties,
  });
}

async function setUp() {
  const member = await memberWithPoints(0);
  shopifyStore = member.store;
  await catalog(member.shopId, { ...FIVE_OFF, eligibleTierIds: ["gold"] });
  return member;
}

describe("Flow action: Grant loyalty reward", () => {
  it("issues the reward without points (even outside its tiers), once per action run", async () => {
    const member = await setUp();
    const properties = { customer_id: String(member.customerId), reward: "five-off" };

    const first = await callAction(grant, flow(properties, "grant-run-1"));
    const resent = await callAction(grant, flow(properties, "grant-run-1"));

    expect(first.status).toBe(200);
    const body = (await first.json()) as { ok: boolean; code: string };
    expect(body).toMatchObject({ ok: true, reward: "$5 off" });
    expect(await resent.json()).toEqual(body);
    expect(member.store.adminApi.discountCodes.size).toBe(1);
    expect(member.store.adminApi.discountByCode(body.code)?.customers).toEqual([
      Number(member.customerId),
    ]);
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(0);
    const [issued] = await eventsOf(Number(member.customerId), "reward.issued");
    expect(issued?.payload).toMatchObject({ source: "shopify_flow_action", points_spent: 0 });
  });

  it("answers a readable 4xx for an unknown reward or customer, and a 503 Flow retries when Shopify fails", async () => {
    const member = await setUp();

    const unknownReward = await callAction(
      grant,
      flow({ customer_id: String(member.customerId), reward: "nope" }),
    );
    const unknownCustomer = await callAction(
      grant,
      flow({ customer_id: "42", reward: "five-off" }),
    );
    member.store.adminApi.injectFault({ field: "discountCodeBasicCreate", kind: "throttled" });
    const throttled = await callAction(
      grant,
      flow({ customer_id: String(member.customerId), reward: "five-off" }),
    );

    expect(unknownReward.status).toBe(404);
    expect(await unknownReward.json()).toMatchObject({ code: "reward_not_found" });
    expect(unknownCustomer.status).toBe(404);
    expect(throttled.status).toBe(503);
    expect(member.store.adminApi.discountCodes.size).toBe(0);
    expect(
      await prisma.redemption.count({
        where: { state: "issued", member: { customerId: member.customerId } },
      }),
    ).toBe(0);
  });
});
