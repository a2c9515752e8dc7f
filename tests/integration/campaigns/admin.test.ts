import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { matchesSegment, SegmentSchema } from "~/domain/campaigns/index";
import { QUEUES, type RewardCampaignJob } from "~/jobs/queues/definitions";
import { getBoss } from "~/jobs/queues/boss.server";
import { action, loader } from "~/routes/app.campaigns";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { setRewardEnabled } from "~/services/rewards/catalog.server";
import { fanOutCampaign, settleCampaigns } from "~/services/campaigns/campaign.server";
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

// Issue #4: a one-time reward campaign to a segment of members, and failed grants in the admin.
const TIERS = [
  { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 100_000 } },
  { id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 200_000 } },
];
const store = newStore();
const api = adminCallFor(
  createTestAdminApi({ store, bucket: { maxAvailable: 1_000_000, restoreRate: 100_000 } }),
);
let shopId: string;

interface Seed {
  key: string;
  tierId: string | null;
  points: number;
  joined: string;
  status?: string;
}

// Joined dates are days of the shop's calendar (America/New_York).
const SEEDS: Seed[] = [
  { key: "ada", tierId: "gold", points: 800, joined: "2026-01-10T15:00:00Z" },
  { key: "bea", tierId: "gold", points: 100, joined: "2026-02-10T15:00:00Z" },
  { key: "cy", tierId: "silver", points: 900, joined: "2026-01-20T15:00:00Z" },
  { key: "dee", tierId: null, points: 1200, joined: "2026-01-15T15:00:00Z" },
  { key: "eve", tierId: "gold", points: 700, joined: "2026-01-12T15:00:00Z", status: "deleted" },
  { key: "fay", tierId: "gold", points: 600, joined: "2026-01-13T15:00:00Z", status: "redacted" },
  // 2026-03-01 03:00 UTC is still Feb 28 in New York: inside a window ending Feb 28.
  { key: "gus", tierId: "silver", points: 650, joined: "2026-03-01T03:00:00Z" },
  // 2026-03-01 06:00 UTC is Mar 1 in New York: outside.
  { key: "hal", tierId: "gold", points: 650, joined: "2026-03-01T06:00:00Z" },
  { key: "ivy", tierId: "gold", points: 1001, joined: "2026-01-05T15:00:00Z" },
];
const members = new Map<string, { id: string; customerId: number }>();

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
      data: {
        tierId: seed.tierId,
        createdAt: new Date(seed.joined),
        status: seed.status ?? "active",
      },
    });
    members.set(seed.key, { id: member.id, customerId: customer.id });
  }
  await prisma.shop.update({ where: { id: shopId }, data: { timeZone: "America/New_York" } });
  await prisma.programVersion.create({ data: { shopId, version: 1, config: { tiers: TIERS } } });
  await catalog(
    shopId,
    FIVE_OFF,
    { ...FIVE_OFF, handle: "ten-off", name: "$10 off", amountMinor: 1000, enabled: false },
    {
      type: "pay_with_points",
      handle: "pay",
      name: "Pay with points",
      pointsPerStep: 100,
      amountMinorPerStep: 100,
      minPoints: 100,
      maxPoints: 1000,
    },
  );
});

const GOLD_OR_SILVER_500_TO_1000_BY_FEB = {
  tierIds: ["gold", "silver"],
  minPoints: "500",
  maxPoints: "1000",
  joinedOnOrAfter: "",
  joinedOnOrBefore: "2026-02-28",
};

let formKey = 0;
function campaignForm(
  intent: "preview" | "create",
  segment: Record<string, string | string[]>,
  overrides: Record<string, string> = {},
) {
  const body = new URLSearchParams({
    intent,
    name: "Spring thank-you",
    rewardHandle: FIVE_OFF.handle,
    requestKey: `form-key-${++formKey}`,
    ...overrides,
  });
  for (const [field, value] of Object.entries(segment)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(field, v);
  }
  return body;
}

async function post(body: URLSearchParams) {
  const request = await adminRequest("/app/campaigns", Object.fromEntries(body));
  // Object.fromEntries drops repeated fields (tierIds): send the body as built.
  const full = new Request(request.url, {
    method: "POST",
    headers: request.headers,
    body: body.toString(),
  });
  const result = (await callRouteAction(action, full)) as unknown as {
    data: Record<string, unknown>;
    init: { status?: number } | null;
  };
  return { status: result.init?.status ?? 200, body: result.data };
}

async function page() {
  return dataOf(await callLoader(loader, await adminRequest("/app/campaigns")));
}

async function campaignJobs() {
  const boss = await getBoss();
  return (await boss.findJobs<RewardCampaignJob>(QUEUES.rewardCampaign.name)).map((j) => j.data);
}

const keyOf = (memberId: string) =>
  [...members].find(([, m]) => m.id === memberId)?.[0] ?? memberId;

async function grantedKeys(campaignId: string) {
  const grants = await prisma.rewardGrant.findMany({ where: { shopId, campaignId } });
  return grants.map((g) => keyOf(g.memberId)).sort();
}

async function campaignIssuedEvents() {
  const events = await prisma.loyaltyEvent.findMany({ where: { shopId, type: "reward.issued" } });
  return events
    .filter((e) => (e.payload as { source: string }).source === "one_time_campaign")
    .map((e) => [...members].find(([, m]) => BigInt(m.customerId) === e.customerId)?.[0])
    .sort();
}

describe("one-time reward campaign (admin)", () => {
  it("previews, creates once per form, grants exactly the segment once each", async () => {
    // GIVEN the form for gold or silver members with 500–1,000 points who joined by Feb 28
    const preview = await post(campaignForm("preview", GOLD_OR_SILVER_500_TO_1000_BY_FEB));
    expect(preview).toEqual({ status: 200, body: { intent: "preview", ok: true, matching: 3 } });

    // WHEN it is submitted twice (a double click)
    const form = campaignForm("create", GOLD_OR_SILVER_500_TO_1000_BY_FEB);
    const [first, second] = [await post(form), await post(form)];

    // THEN one campaign, one fan-out job
    expect(first.body).toMatchObject({ ok: true, created: true });
    expect(second.body).toMatchObject({
      ok: true,
      created: false,
      campaignId: first.body.campaignId,
    });
    const campaignId = first.body.campaignId as string;
    expect(await prisma.rewardCampaign.count({ where: { shopId } })).toBe(1);
    expect(await campaignJobs()).toEqual([{ shopId, campaignId }]);

    // WHEN the job fans out (and is retried, even from scratch) and the grants are issued
    const fanned = await fanOutCampaign(shopId, campaignId);
    const retried = await fanOutCampaign(shopId, campaignId);
    await prisma.rewardCampaign.update({ where: { id: campaignId }, data: { state: "queued" } });
    const fromScratch = await fanOutCampaign(shopId, campaignId);
    const report = await issuePendingGrants(shopId, api);
    await issuePendingGrants(shopId, api);
    await settleCampaigns(shopId);

    // THEN exactly the matching members, each once, with source one_time_campaign
    const all = await prisma.member.findMany({ where: { shopId } });
    const segment = SegmentSchema.parse({
      ...GOLD_OR_SILVER_500_TO_1000_BY_FEB,
      minPoints: 500,
      maxPoints: 1000,
      joinedOnOrAfter: null,
    });
    const expected = all.filter((m) => matchesSegment(segment, m, "America/New_York"));
    expect(expected.map((m) => keyOf(m.id)).sort()).toEqual(["ada", "cy", "gus"]);
    expect(fanned).toMatchObject({ state: "granting", recorded: 3, matched: 3 });
    expect(retried).toMatchObject({ state: "granting", recorded: 0 });
    expect(fromScratch).toMatchObject({ recorded: 0, matched: 3 });
    expect(report).toEqual({ issued: 3, failed: 0, waiting: 0, more: false });
    expect(await grantedKeys(campaignId)).toEqual(["ada", "cy", "gus"]);
    expect(await campaignIssuedEvents()).toEqual(["ada", "cy", "gus"]);
    expect(store.adminApi.discountCodes.size).toBe(3);
    for (const key of ["ada", "cy", "gus"]) {
      await expectBalanceMatchesLedger(members.get(key)!.customerId);
    }
    const [shown] = (await page()).campaigns;
    expect(shown).toMatchObject({
      id: campaignId,
      state: "granted",
      matchedMembers: 3,
      issued: 3,
      failed: 0,
      pending: 0,
      rewardName: "$5 off",
    });
  });

  it("grants the members as of the campaign's creation: later joiners are not added on a retry", async () => {
    const created = await post(campaignForm("create", { tierIds: "gold", minPoints: "1001" }));
    const campaignId = created.body.campaignId as string;
    const late = store.addCustomer({ email: "late@example.com" });
    await deliver("customers/create", late);
    await prisma.member.update({
      where: { shopId_customerId: { shopId, customerId: BigInt(late.id) } },
      data: { tierId: "gold", pointsBalance: 5000 },
    });

    const outcome = await fanOutCampaign(shopId, campaignId);

    expect(outcome).toMatchObject({ recorded: 1, matched: 1 });
    expect(await grantedKeys(campaignId)).toEqual(["ivy"]);
    expect(await issuePendingGrants(shopId, api)).toMatchObject({ issued: 1, failed: 0 });
    await prisma.member.update({
      where: { shopId_customerId: { shopId, customerId: BigInt(late.id) } },
      data: { pointsBalance: 0, status: "deleted" },
    });
  });

  it("bad segment, unknown, disabled or pay-with-points reward: field errors, a 400, nothing created", async () => {
    const before = await prisma.rewardCampaign.count({ where: { shopId } });
    const jobsBefore = (await campaignJobs()).length;

    const badSegment = await post(
      campaignForm("create", {
        tierIds: ["gold", "platinum"],
        minPoints: "ten",
        maxPoints: "-5",
        joinedOnOrAfter: "2026-02-30",
        joinedOnOrBefore: "2026-01-01",
      }),
    );
    const unknown = await post(campaignForm("create", {}, { rewardHandle: "nope", name: " " }));
    const disabled = await post(campaignForm("preview", {}, { rewardHandle: "ten-off" }));
    const payWithPoints = await post(campaignForm("create", {}, { rewardHandle: "pay" }));
    const unknownTier = await post(campaignForm("create", { tierIds: "platinum" }));

    expect(badSegment.status).toBe(400);
    expect(badSegment.body).toMatchObject({
      ok: false,
      errors: {
        "segment.minPoints": "Enter a number",
        "segment.maxPoints": "Enter 0 or more",
        "segment.joinedOnOrAfter": "Enter a date as YYYY-MM-DD",
      },
    });
    expect(unknown).toMatchObject({
      status: 400,
      body: {
        errors: {
          name: "Give the campaign a name",
          rewardHandle: "There is no such reward in your catalog",
        },
      },
    });
    expect(disabled).toMatchObject({
      status: 400,
      body: { errors: { rewardHandle: expect.stringMatching(/turned off/) } },
    });
    expect(payWithPoints.body).toMatchObject({
      errors: { rewardHandle: expect.stringMatching(/without points/) },
    });
    expect(unknownTier.body).toMatchObject({
      errors: { "segment.tierIds": "Choose tiers of your program" },
    });
    const order = await post(
      campaignForm("create", {
        minPoints: "900",
        maxPoints: "100",
        joinedOnOrAfter: "2026-02-01",
        joinedOnOrBefore: "2026-01-01",
      }),
    );
    expect(order.body).toMatchObject({
      errors: {
        "segment.maxPoints": "Enter a number at least the minimum",
        "segment.joinedOnOrBefore": "Enter a date on or after the first date",
      },
    });
    expect(await prisma.rewardCampaign.count({ where: { shopId } })).toBe(before);
    expect((await campaignJobs()).length).toBe(jobsBefore);
  });
});

describe("failed grants (admin)", () => {
  it("shows a failed grant with member, occasion, reward and reason; retry issues it once", async () => {
    // GIVEN a campaign whose reward the merchant turned off before it was issued
    const created = await post(campaignForm("create", { tierIds: "silver", minPoints: "900" }));
    const campaignId = created.body.campaignId as string;
    await fanOutCampaign(shopId, campaignId);
    await setRewardEnabled(shopId, FIVE_OFF.handle, false);
    const report = await issuePendingGrants(shopId, api);
    await settleCampaigns(shopId);
    const cy = members.get("cy")!;

    // THEN the page lists it, and the campaign failed
    expect(report).toMatchObject({ issued: 0, failed: 1 });
    const shown = await page();
    const failed = shown.failed.find((row) => row.memberId === cy.id);
    expect(failed).toMatchObject({
      memberName: "cy",
      occasion: "one_time_campaign",
      campaignName: "Spring thank-you",
      rewardName: "$5 off",
      reason: expect.stringMatching(/not available/),
    });
    expect(shown.campaigns.find((c) => c.id === campaignId)).toMatchObject({
      state: "failed",
      failed: 1,
    });

    // WHEN the merchant turns it back on and retries (twice: a double click)
    await setRewardEnabled(shopId, FIVE_OFF.handle, true);
    const codesBefore = store.adminApi.discountCodes.size;
    const retry = await post(new URLSearchParams({ intent: "retry", grantId: failed!.id }));
    const again = await post(new URLSearchParams({ intent: "retry", grantId: failed!.id }));
    await issuePendingGrants(shopId, api);
    await issuePendingGrants(shopId, api);
    await settleCampaigns(shopId);

    // THEN it is issued once, under a fresh request key
    expect(retry).toMatchObject({ status: 200, body: { ok: true } });
    expect(again).toMatchObject({ status: 409, body: { ok: false } });
    const grant = await prisma.rewardGrant.findUniqueOrThrow({ where: { id: failed!.id } });
    expect(grant).toMatchObject({ state: "issued", attempts: 1, lastError: null });
    expect(store.adminApi.discountCodes.size).toBe(codesBefore + 1);
    expect((await eventsOf(cy.customerId, "reward.issued")).length).toBe(2);
    expect((await page()).failed.find((row) => row.id === failed!.id)).toBeUndefined();
    expect((await page()).campaigns.find((c) => c.id === campaignId)).toMatchObject({
      state: "granted",
      issued: 1,
      failed: 0,
    });
  });

  it("a failed grant whose reward Shopify did make is marked issued, never issued again", async () => {
    const welcome = await prisma.rewardGrant.findFirstOrThrow({
      where: { shopId, state: "issued", occasion: "one_time_campaign" },
    });
    await prisma.rewardGrant.update({
      where: { id: welcome.id },
      data: { state: "failed", lastError: "lost answer" },
    });
    const codesBefore = store.adminApi.discountCodes.size;

    await prisma.rewardCampaign.update({
      where: { id: welcome.campaignId! },
      data: { state: "failed" },
    });

    const retry = await post(new URLSearchParams({ intent: "retry", grantId: welcome.id }));
    await issuePendingGrants(shopId, api);
    await settleCampaigns(shopId);

    expect(retry.body).toMatchObject({ ok: true, message: expect.stringMatching(/already/) });
    expect(await prisma.rewardGrant.findUniqueOrThrow({ where: { id: welcome.id } })).toMatchObject(
      { state: "issued", redemptionId: welcome.redemptionId, attempts: welcome.attempts },
    );
    expect(store.adminApi.discountCodes.size).toBe(codesBefore);
    expect(
      await prisma.rewardCampaign.findUniqueOrThrow({ where: { id: welcome.campaignId! } }),
    ).toMatchObject({ state: "granted" });
  });

  it("a retry of an unreadable or another shop's grant is refused and changes nothing", async () => {
    const other = await prisma.shop.create({ data: { domain: "other-campaigns.myshopify.com" } });
    const foreign = await prisma.rewardGrant.create({
      data: {
        shopId: other.id,
        memberId: members.get("ada")!.id,
        customerId: 1n,
        occasion: "welcome",
        rewardHandle: "x",
        idempotencyKey: "grant:welcome:x",
        state: "failed",
      },
    });

    const unreadable = await post(new URLSearchParams({ intent: "retry", grantId: "nope" }));
    const notOurs = await post(new URLSearchParams({ intent: "retry", grantId: foreign.id }));

    expect(unreadable.status).toBe(400);
    expect(notOurs.status).toBe(409);
    expect(await prisma.rewardGrant.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject(
      { state: "failed", attempts: 0 },
    );
  });
});
