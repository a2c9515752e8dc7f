import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { LOT_KINDS } from "~/domain/expiry/lots";
import { QUEUES, type RewardCampaignJob } from "~/jobs/queues/definitions";
import { getBoss } from "~/jobs/queues/boss.server";
import { action, loader } from "~/routes/app.campaigns";
import { fanOutCampaign, settleCampaigns } from "~/services/campaigns/campaign.server";
import { campaignPointsKey, creditCampaignPoints } from "~/services/campaigns/points.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { issuePendingGrants } from "~/services/rewards/grants/issue.server";
import { createTestAdminApi } from "../../../sandbox/shopify/admin-graphql/testing";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { deliver, eventsOf, expectBalanceMatchesLedger, newStore } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF } from "../../support/rewards";

// Issue #21: a one-time campaign gives points (points.added source one_time_campaign), once per
// member however often its job runs, and a campaign of a reward works as before.
const TIERS = [
  { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 1_000 } },
];
const store = newStore();
const api = adminCallFor(
  createTestAdminApi({ store, bucket: { maxAvailable: 1_000_000, restoreRate: 100_000 } }),
);
let shopId: string;

// Balances from staff adjustments, which count in no lifetime points: the campaign's are the
// first points that move a tier.
const SEEDS = [
  { key: "ada", points: 800, status: "active" },
  { key: "bea", points: 100, status: "active" },
  { key: "cy", points: 900, status: "active" },
  { key: "dee", points: 1200, status: "deleted" },
  { key: "eve", points: 700, status: "redacted" },
  { key: "fox", points: 600, status: "active" },
  { key: "gus", points: 650, status: "active" },
  { key: "hal", points: 700, status: "active" },
];
const IN_SEGMENT = ["ada", "cy", "fox", "gus", "hal"];
const members = new Map<string, { id: string; customerId: number; seeded: number }>();

beforeAll(async () => {
  await installTestShop();
  for (const seed of SEEDS) {
    const customer = store.addCustomer({ email: `${seed.key}@example.com`, first_name: seed.key });
    await deliver("customers/create", customer);
    shopId ??= (await prisma.shop.findFirstOrThrow()).id;
    await adjustPoints({
      shopId,
      customerId: BigInt(customer.id),
      points: seed.points,
      note: null,
      source: "manual",
      idempotencyKey: `seed:${customer.id}`,
    });
    const member = await prisma.member.update({
      where: { shopId_customerId: { shopId, customerId: BigInt(customer.id) } },
      data: { status: seed.status, createdAt: new Date("2026-01-10T15:00:00Z") },
    });
    members.set(seed.key, { id: member.id, customerId: customer.id, seeded: seed.points });
  }
  await prisma.programVersion.create({ data: { shopId, version: 1, config: { tiers: TIERS } } });
  await catalog(shopId, FIVE_OFF);
});

let formKey = 0;
function campaignForm(intent: "preview" | "create", fields: Record<string, string>) {
  return {
    intent,
    name: "Thank-you points",
    requestKey: `points-form-${++formKey}`,
    minPoints: "500",
    ...fields,
  };
}

async function post(form: Record<string, string>) {
  const result = (await callRouteAction(
    action,
    await adminRequest("/app/campaigns", form),
  )) as unknown as { data: Record<string, unknown>; init: { status?: number } | null };
  return { status: result.init?.status ?? 200, body: result.data };
}

async function shownCampaign(campaignId: string) {
  const page = dataOf(await callLoader(loader, await adminRequest("/app/campaigns")));
  return page.campaigns.find((c) => c.id === campaignId);
}

async function campaignJobs() {
  const boss = await getBoss();
  return (await boss.findJobs<RewardCampaignJob>(QUEUES.rewardCampaign.name)).map((j) => j.data);
}

const campaignEntries = () =>
  prisma.ledgerEntry.findMany({ where: { shopId, source: "one_time_campaign" } });

describe("one-time campaign of points", () => {
  it("credits every member of the segment once, page by page, however often the job runs", async () => {
    // GIVEN the form for 1,000 points to members with at least 500 points, previewed
    const preview = await post(campaignForm("preview", { gives: "points", points: "1000" }));
    expect(preview).toEqual({
      status: 200,
      body: { intent: "preview", ok: true, matching: 5, points: 1000 },
    });

    // WHEN it is submitted twice (a double click)
    const form = campaignForm("create", { gives: "points", points: "1000" });
    const [first, second] = [await post(form), await post(form)];

    // THEN one campaign of points, one job
    expect(first.body).toMatchObject({ ok: true, created: true, gives: "points" });
    expect(second.body).toMatchObject({ created: false, campaignId: first.body.campaignId });
    const campaignId = first.body.campaignId as string;
    expect(await campaignJobs()).toContainEqual({ shopId, campaignId });
    expect(
      await prisma.rewardCampaign.findUniqueOrThrow({ where: { id: campaignId } }),
    ).toMatchObject({ points: 1000, rewardHandle: null, state: "queued" });

    // WHEN the job dies after its first page of two members (the issuing of rewards settles
    // campaigns meanwhile), then is retried, then runs twice more, once from scratch
    const partial = await creditCampaignPoints(shopId, campaignId, { pageSize: 2, maxPages: 1 });
    await settleCampaigns(shopId);
    const midway = await shownCampaign(campaignId);
    const retried = await fanOutCampaign(shopId, campaignId);
    const again = await fanOutCampaign(shopId, campaignId);
    await prisma.rewardCampaign.update({
      where: { id: campaignId },
      data: { state: "queued", creditedThroughCustomerId: null },
    });
    const fromScratch = await creditCampaignPoints(shopId, campaignId, { pageSize: 2 });

    // THEN the first run credited two and left the campaign running, the retry the other three,
    // and the later runs nobody
    expect(partial).toMatchObject({ state: "granting", credited: 2, pages: 1 });
    expect(midway).toMatchObject({ state: "granting", matchedMembers: 5, issued: 2, pending: 3 });
    expect(retried).toMatchObject({ state: "granted", credited: 3 });
    expect(again).toMatchObject({ state: "granted", credited: 0 });
    expect(fromScratch).toMatchObject({ state: "granted", credited: 0, pages: 3 });

    // THEN each member of the segment has one entry of 1,000 points, counted as earned points
    // (a lot that expires, lifetime points, activity), and one points.added one_time_campaign
    const entries = await campaignEntries();
    expect(entries.map((e) => keyOf(e.memberId)).sort()).toEqual(IN_SEGMENT);
    for (const key of IN_SEGMENT) {
      const { id, customerId, seeded } = members.get(key)!;
      const entry = entries.find((e) => e.memberId === id)!;
      expect(entry).toMatchObject({
        points: 1000,
        kind: "bonus",
        idempotencyKey: campaignPointsKey(campaignId, id),
        balanceAfter: seeded + 1000,
      });
      expect(LOT_KINDS.has(entry.kind)).toBe(true);
      const member = await prisma.member.findUniqueOrThrow({ where: { id } });
      expect(member).toMatchObject({ pointsBalance: seeded + 1000, lifetimeEarned: 1000 });
      expect(member.lastActivityAt).not.toBeNull();
      // 1,000 lifetime points reach Silver at once, as a welcome bonus would.
      expect(member.tierId).toBe("silver");
      const added = (await eventsOf(customerId, "points.added")).filter(
        (e) => (e.payload as { source: string }).source === "one_time_campaign",
      );
      expect(added).toHaveLength(1);
      expect(added[0]?.payload).toEqual({
        points: 1000,
        source: "one_time_campaign",
        order_id: null,
        order_name: null,
        note: null,
      });
      expect(added[0]?.snapshot).toMatchObject({
        points_balance: seeded + 1000,
        lifetime_points_earned: 1000,
      });
      expect(added[0]?.deliveries.map((d) => d.destination).sort()).toEqual([
        "flow",
        "klaviyo",
        "omnisend",
      ]);
      const tierUpdated = await eventsOf(customerId, "tier.updated");
      expect(tierUpdated.map((e) => e.payload)).toMatchObject([
        { reason: "spend", current_tier: "Silver" },
      ]);
      await expectBalanceMatchesLedger(customerId);
    }
    for (const key of ["bea", "dee", "eve"]) {
      const { id, seeded } = members.get(key)!;
      expect(await prisma.member.findUniqueOrThrow({ where: { id } })).toMatchObject({
        pointsBalance: seeded,
        lifetimeEarned: 0,
      });
    }

    // THEN the list shows the campaign's points and that everyone got them
    expect(await shownCampaign(campaignId)).toMatchObject({
      points: 1000,
      rewardName: null,
      state: "granted",
      matchedMembers: 5,
      issued: 5,
      failed: 0,
      pending: 0,
    });
  });

  it("refuses points that are not a whole number from 1 to 1,000,000, with a readable error", async () => {
    const campaignsBefore = await prisma.rewardCampaign.count({ where: { shopId } });
    const jobsBefore = (await campaignJobs()).length;

    for (const points of ["", "0", "-5", "1.5", "ten", "1000001"]) {
      for (const intent of ["preview", "create"] as const) {
        const refused = await post(campaignForm(intent, { gives: "points", points }));
        expect(refused, `${intent} ${JSON.stringify(points)}`).toEqual({
          status: 400,
          body: {
            intent,
            ok: false,
            errors: { points: "Enter a whole number of points from 1 to 1,000,000" },
          },
        });
      }
    }
    const unknownGift = await post(campaignForm("create", { gives: "cash", points: "10" }));

    expect(unknownGift).toMatchObject({
      status: 400,
      body: { errors: { gives: "Choose whether the campaign gives points or a reward" } },
    });
    expect(await prisma.rewardCampaign.count({ where: { shopId } })).toBe(campaignsBefore);
    expect((await campaignJobs()).length).toBe(jobsBefore);
  });
});

describe("one-time campaign of a reward, beside campaigns of points", () => {
  it("still grants the reward to every member of the segment, once each", async () => {
    const entriesBefore = (await campaignEntries()).length;
    const fields = { gives: "reward", rewardHandle: FIVE_OFF.handle, points: "" };
    const preview = await post(campaignForm("preview", { ...fields, minPoints: "1500" }));
    const created = await post(campaignForm("create", { ...fields, minPoints: "1500" }));
    const campaignId = created.body.campaignId as string;

    const fanned = await fanOutCampaign(shopId, campaignId);
    const retried = await fanOutCampaign(shopId, campaignId);
    const report = await issuePendingGrants(shopId, api);
    await settleCampaigns(shopId);

    // The points campaign lifted ada, cy, fox, gus and hal to 1,500 points and more.
    expect(preview.body).toEqual({ intent: "preview", ok: true, matching: 5 });
    expect(created.body).toMatchObject({ ok: true, created: true, gives: "reward" });
    expect(fanned).toMatchObject({ state: "granting", recorded: 5, matched: 5 });
    expect(retried).toMatchObject({ recorded: 0 });
    expect(report).toMatchObject({ issued: 5, failed: 0 });
    expect(store.adminApi.discountCodes.size).toBe(5);
    expect((await campaignEntries()).length).toBe(entriesBefore);
    expect(await shownCampaign(campaignId)).toMatchObject({
      points: null,
      rewardName: "$5 off",
      state: "granted",
      matchedMembers: 5,
      issued: 5,
    });
  });
});

function keyOf(memberId: string) {
  return [...members].find(([, m]) => m.id === memberId)?.[0] ?? memberId;
}
