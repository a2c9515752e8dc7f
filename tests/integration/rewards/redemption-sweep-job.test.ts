import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { sweepAllShops } from "~/jobs/workers/rewards/redemption-sweep.worker";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { memberOf } from "../../support/deliveries";
import {
  adminCallFor,
  catalog,
  FIVE_OFF,
  memberWithPoints,
  routeAdminApiToStandIn,
} from "../../support/rewards";

let shopifyStore: SandboxStore | null = null;
beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, "shpat_sweep"));

describe("redemption sweep job", () => {
  it("settles a stale hold through the shop's offline session: code deleted, points returned", async () => {
    const member = await memberWithPoints(1000);
    shopifyStore = member.store;
    await catalog(member.shopId, FIVE_OFF);
    member.store.adminApi.injectFault({
      field: "discountCodeBasicCreate",
      kind: "http500",
      applied: true,
    });
    member.store.adminApi.injectFault({ field: "codeDiscountNodeByCode", kind: "http500" });
    await redeemReward(adminCallFor(member.api, 100), {
      shopId: member.shopId,
      customerId: member.customerId,
      reward: { handle: FIVE_OFF.handle },
      requestKey: "sweep-job-1",
      source: "points_redemption",
    }).catch(() => null);
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(500);

    await sweepAllShops(new Date()); // too early: a hold younger than 5 minutes may still finish
    expect(await prisma.redemption.count({ where: { state: "held" } })).toBe(1);
    await sweepAllShops(new Date(Date.now() + 6 * 60_000));

    expect(await prisma.redemption.count({ where: { state: "held" } })).toBe(0);
    expect(member.store.adminApi.discountCodes.size).toBe(0);
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(1000);
  });
});
