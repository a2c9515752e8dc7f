import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/app.campaigns";
import { fanOutCampaign, settleCampaigns } from "~/services/campaigns/campaign.server";
import { issuePendingGrants } from "~/services/rewards/grants/issue.server";
import { createTestAdminApi } from "../../../sandbox/shopify/admin-graphql/testing";
import { adminRequest, callRouteAction, installTestShop } from "../../support/admin";
import { deliver, newStore } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF } from "../../support/rewards";

// A campaign to 10,000 members: one statement records every grant, and issuing goes on past the
// first page of 100 (the runs re-queue themselves when their time budget is spent).
const MEMBERS = 10_000;
const ISSUED = 150;
const store = newStore();
let shopId: string;

beforeAll(async () => {
  await installTestShop();
  await deliver("customers/create", store.addCustomer({ email: "first@example.com" }));
  shopId = (await prisma.shop.findFirstOrThrow()).id;
  await catalog(shopId, FIVE_OFF);
  // Members as rows (their customers need not exist at Shopify for the fan-out).
  await prisma.$executeRaw`
    INSERT INTO "Member" ("id", "shopId", "customerId", "pointsBalance", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), ${shopId}::uuid, 900000000 + g, g % 1000,
      now() - interval '1 day', now()
    FROM generate_series(1, ${MEMBERS - 1}) AS g`;
});

describe("campaign at scale", { timeout: 240_000 }, () => {
  it("fans out to 10,000 members in one statement, and issuing carries on past one page", async () => {
    const body = new URLSearchParams({
      intent: "create",
      name: "Everyone",
      rewardHandle: FIVE_OFF.handle,
      requestKey: "scale-campaign-1",
    });
    const request = await adminRequest("/app/campaigns", Object.fromEntries(body));
    const created = (await callRouteAction(action, request)) as unknown as {
      data: { campaignId: string };
    };
    const campaignId = created.data.campaignId;

    const started = performance.now();
    const outcome = await fanOutCampaign(shopId, campaignId);
    const fanOutMs = performance.now() - started;

    expect(outcome).toMatchObject({ recorded: MEMBERS, matched: MEMBERS });
    expect(await prisma.rewardGrant.count({ where: { shopId, campaignId } })).toBe(MEMBERS);

    // Issue the first 150 grants through the Shopify stand-in (each needs its customer there), as
    // the job does: runs of pages of 50 with a 2 s budget, each run queuing the next (`more`).
    const grants = await prisma.rewardGrant.findMany({
      where: { shopId, campaignId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: ISSUED,
    });
    for (const grant of grants) {
      const id = Number(grant.customerId);
      if (!store.customers.has(id)) store.addCustomer({ id, email: `m${id}@example.com` });
    }
    await prisma.rewardGrant.updateMany({
      where: { shopId, campaignId, id: { notIn: grants.map((g) => g.id) } },
      data: { state: "held_for_test" },
    });
    const api = adminCallFor(
      createTestAdminApi({ store, bucket: { maxAvailable: 1_000_000, restoreRate: 100_000 } }),
    );
    const issueStarted = performance.now();
    const runs = [];
    for (let more = true; more && runs.length < 50;) {
      const report = await issuePendingGrants(shopId, api, { pageSize: 50, budgetMs: 2_000 });
      runs.push(report);
      more = report.more;
    }
    const issueMs = performance.now() - issueStarted;
    await settleCampaigns(shopId);

    expect(runs.reduce((sum, r) => sum + r.issued, 0)).toBe(ISSUED);
    expect(runs.every((r) => r.failed === 0 && r.waiting === 0)).toBe(true);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.at(-1)?.more).toBe(false);
    expect(store.adminApi.discountCodes.size).toBe(ISSUED);
    console.info(
      `campaign scale: fan-out of ${MEMBERS} grants ${fanOutMs.toFixed(0)} ms; ` +
        `issued ${ISSUED} grants in ${runs.length} runs, ${issueMs.toFixed(0)} ms ` +
        `(${(issueMs / ISSUED).toFixed(1)} ms each)`,
    );
  });

  it("credits points to 10,000 members in pages of one statement each, once each", async () => {
    const body = new URLSearchParams({
      intent: "create",
      name: "Everyone, points",
      gives: "points",
      points: "250",
      requestKey: "scale-campaign-points",
    });
    const request = await adminRequest("/app/campaigns", Object.fromEntries(body));
    const created = (await callRouteAction(action, request)) as unknown as {
      data: { campaignId: string };
    };
    const campaignId = created.data.campaignId;
    const balanceBefore = await prisma.member.aggregate({
      where: { shopId },
      _sum: { pointsBalance: true },
    });

    const started = performance.now();
    const outcome = await fanOutCampaign(shopId, campaignId);
    const creditMs = performance.now() - started;
    const again = await fanOutCampaign(shopId, campaignId);

    expect(outcome).toMatchObject({ state: "granted", credited: MEMBERS, pages: 21 });
    expect(again).toMatchObject({ credited: 0 });
    const balanceAfter = await prisma.member.aggregate({
      where: { shopId },
      _sum: { pointsBalance: true },
    });
    expect(balanceAfter._sum.pointsBalance).toBe(
      (balanceBefore._sum.pointsBalance ?? 0) + 250 * MEMBERS,
    );
    expect(
      await prisma.loyaltyEvent.count({
        where: {
          shopId,
          type: "points.added",
          payload: { path: ["source"], equals: "one_time_campaign" },
        },
      }),
    ).toBe(MEMBERS);
    console.info(
      `campaign scale: ${MEMBERS} members credited points in ` + `${creditMs.toFixed(0)} ms`,
    );
  });
});
