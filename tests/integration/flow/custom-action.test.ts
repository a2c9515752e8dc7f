import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { action as customAction } from "~/routes/flow.custom-action-points";
import { saveProgram } from "~/services/program/versions.server";
import { signedFlowActionRequest } from "../../../sandbox/shopify/signing";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, callAction, TEST_SHOP } from "../../support/webhooks";

// Flow's "Add points for a custom action" through the signed action route (issue #23, ADR 0072):
// the run names a custom action; its points and limit per period come from Settings.

let shopifyStore: SandboxStore | null = null;
let run = 0;

beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, "shpat_flow_custom"));
afterEach(() => {
  vi.useRealTimers();
});

function flow(properties: Record<string, unknown>, actionRunId = `custom-${++run}`) {
  return callAction(
    customAction,
    signedFlowActionRequest({
      url: `${APP_URL}/flow/custom-action-points`,
      secret: API_SECRET,
      shop: TEST_SHOP,
      handle: "loyalty-custom-action-points",
      actionRunId,
      properties,
    }),
  );
}

/** Custom actions as the merchant sets them in Bonuses & birthdays (the Flow run only names one). */
const CUSTOM_ACTIONS = [
  { name: "Leave a product review", points: 25, limit: 2, period: "year" },
  { name: "Answer the survey", points: 10, limit: 2, period: "year" },
  { name: "Daily check-in", points: 5, limit: 1, period: "day" },
  { name: "Share a photo", points: 1, limit: null },
  { name: "Complete your profile", points: 50, limit: 1, period: "ever" },
  { name: "Join the club", points: 100, limit: 1, period: "ever" },
  { name: "Retired action", points: 0, limit: 1, period: "month" },
];

async function priceInSettings(shopId: string, customActions: unknown[] = CUSTOM_ACTIONS) {
  await saveProgram(prisma, shopId, { customActions }, "test");
}

async function newMember() {
  const member = await memberWithPoints(0);
  shopifyStore = member.store;
  await priceInSettings(member.shopId);
  return { ...member, id: String(member.customerId), number: Number(member.customerId) };
}

async function entries(customerId: bigint) {
  const member = await prisma.member.findFirstOrThrow({ where: { customerId } });
  return prisma.ledgerEntry.findMany({
    where: { memberId: member.id },
    orderBy: { createdAt: "asc" },
  });
}

const messageOf = async (r: Response) => ((await r.json()) as { message: string }).message;

describe("Flow action: Add points for a custom action", () => {
  it("credits the points priced in Settings, source custom_action with the Settings name, once per run", async () => {
    const member = await newMember();
    // Named in other words than Settings; fields of a workflow from before Settings priced it
    // (points, limit, period) are ignored.
    const properties = {
      customer_id: member.id,
      action_name: "  leave a  PRODUCT review ",
      points: "999",
      limit: "",
      period: "day",
    };

    const first = await flow(properties, "custom-once");
    const resent = await flow(properties, "custom-once");

    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, applied: true, balance: 25 });
    expect(resent.status).toBe(200);
    expect(await resent.json()).toEqual({ ok: true, applied: true, balance: 25 });
    expect((await memberOf(member.number))?.pointsBalance).toBe(25);
    expect((await eventsOf(member.number, "points.added")).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        points: 25,
        source: "custom_action",
        note: "Leave a product review",
        order_id: null,
      }),
    ]);
    expect(await entries(member.customerId)).toEqual([
      expect.objectContaining({
        kind: "bonus",
        source: "custom_action",
        points: 25,
        idempotencyKey: "flow:custom-once",
        detail: expect.objectContaining({ note: "Leave a product review" }),
      }),
    ]);
  });

  it("takes a new price from Settings on the next run", async () => {
    const member = await newMember();
    const review = { customer_id: member.id, action_name: "Leave a product review" };

    const before = await flow(review);
    await priceInSettings(member.shopId, [{ name: "Leave a product review", points: 40 }]);
    const after = await flow(review);

    expect([before.status, after.status]).toEqual([200, 200]);
    expect(
      (await eventsOf(member.number, "points.added")).map(
        (e) => (e.payload as { points: number }).points,
      ),
    ).toEqual([25, 40]);
    await priceInSettings(member.shopId);
  });

  it("refuses a run over the limit with a non-retryable 409 and writes nothing; other actions count apart", async () => {
    const member = await newMember();
    const review = { customer_id: member.id, action_name: "Leave a product review" };

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await flow(review));
    // The same action in other words counts together; another action has its own limit.
    const respelled = await flow({ ...review, action_name: "  leave a  PRODUCT REVIEW " });
    const survey = await flow({ ...review, action_name: "Answer the survey" });

    expect(answers.map((a) => a.status)).toEqual([200, 200, 409]);
    const refusal = (await answers[2]!.json()) as Record<string, unknown>;
    expect(refusal).toMatchObject({ ok: false, code: "limit_reached" });
    expect(refusal.message).toMatch(/Leave a product review.*2 times this year/);
    expect(respelled.status).toBe(409);
    expect(survey.status).toBe(200);
    expect((await memberOf(member.number))?.pointsBalance).toBe(60);
    expect(await eventsOf(member.number, "points.added")).toHaveLength(3);
    await expectBalanceMatchesLedger(member.number);
  });

  it("counts per period in the shop's time zone: the next local day gives room again", async () => {
    const member = await newMember();
    await prisma.shop.updateMany({ data: { timeZone: "America/New_York" } });
    const daily = { customer_id: member.id, action_name: "Daily check-in" };
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      // 23:30 on 9 March in New York (04:30 UTC on the 10th).
      vi.setSystemTime(new Date("2027-03-10T04:30:00Z"));
      const evening = await flow(daily);
      // 23:59 in New York: still the 9th, though UTC is well into the 10th.
      vi.setSystemTime(new Date("2027-03-10T04:59:00Z"));
      const sameDay = await flow(daily);
      // Midnight in New York: a new day.
      vi.setSystemTime(new Date("2027-03-10T05:00:00Z"));
      const nextDay = await flow(daily);
      const nextDayAgain = await flow(daily);

      expect([evening, sameDay, nextDay, nextDayAgain].map((a) => a.status)).toEqual([
        200, 409, 200, 409,
      ]);
      expect((await memberOf(member.number))?.pointsBalance).toBe(10);
    } finally {
      vi.useRealTimers();
      await prisma.shop.updateMany({ data: { timeZone: "UTC" } });
    }
  });

  it("without a limit credits every run; a limit for ever is once per member", async () => {
    const member = await newMember();
    const shared = { customer_id: member.id, action_name: "Share a photo" };
    const profile = { customer_id: member.id, action_name: "Complete your profile" };

    const photos = [await flow(shared), await flow(shared), await flow(shared)];
    const profiles = [await flow(profile), await flow(profile)];

    expect(photos.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(profiles.map((a) => a.status)).toEqual([200, 409]);
    expect((await messageOf(profiles[1]!)) as string).toMatch(/1 time so far/);
    expect((await memberOf(member.number))?.pointsBalance).toBe(53);
  });

  it("refuses a name Settings does not have, or has switched off, with a final 422 naming it; nothing written", async () => {
    const member = await newMember();

    const unknown = await flow(
      { customer_id: member.id, action_name: "Left a review" },
      "custom-unknown",
    );
    const off = await flow({ customer_id: member.id, action_name: "retired ACTION" });
    // Flow's resend of the refused run gets the same answer, even once the name exists.
    await priceInSettings(member.shopId, [...CUSTOM_ACTIONS, { name: "Left a review", points: 5 }]);
    const resent = await flow(
      { customer_id: member.id, action_name: "Left a review" },
      "custom-unknown",
    );
    await priceInSettings(member.shopId);

    expect(unknown.status).toBe(422);
    const refusal = (await unknown.json()) as { ok: boolean; code: string; message: string };
    expect(refusal).toMatchObject({ ok: false, code: "invalid_input" });
    expect(refusal.message).toMatch(
      /^No points added: there is no custom action named “Left a review” in the loyalty app's Settings > Bonuses & birthdays\./,
    );
    // It says which names would work: the ones switched on.
    expect(refusal.message).toContain("“Leave a product review”");
    expect(refusal.message).not.toContain("Retired action");
    expect(off.status).toBe(422);
    expect(await messageOf(off)).toBe(
      "No points added: the custom action “Retired action” is switched off (0 points) in the loyalty app's Settings > Bonuses & birthdays.",
    );
    expect(resent.status).toBe(422);
    expect(await resent.json()).toEqual(refusal);
    expect((await memberOf(member.number))?.pointsBalance).toBe(0);
    expect(await entries(member.customerId)).toEqual([]);
    expect(await eventsOf(member.number, "points.added")).toEqual([]);
  });

  it("two runs at once at the limit: exactly one is credited", async () => {
    const member = await newMember();
    const once = { customer_id: member.id, action_name: "Join the club" };

    const answers = await Promise.all([flow(once), flow(once), flow(once)]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect((await memberOf(member.number))?.pointsBalance).toBe(100);
    expect(
      (await entries(member.customerId)).filter((e) => e.source === "custom_action"),
    ).toHaveLength(1);
    expect(await eventsOf(member.number, "points.added")).toHaveLength(1);
  });

  it("answers bad input with a readable 422 and an unknown customer with 404, writing nothing", async () => {
    const member = await newMember();
    const good = { customer_id: member.id, action_name: "Leave a product review" };

    const noName = await flow({ ...good, action_name: undefined });
    const blankName = await flow({ ...good, action_name: "   " });
    const tooLong = await flow({ ...good, action_name: "x".repeat(101) });
    const unknown = await flow({ ...good, customer_id: "999999" });

    expect(noName.status).toBe(422);
    expect(await messageOf(noName)).toMatch(/action_name/);
    expect(blankName.status).toBe(422);
    expect(await messageOf(blankName)).toMatch(/action_name/);
    expect(tooLong.status).toBe(422);
    expect(unknown.status).toBe(404);
    expect((await memberOf(member.number))?.pointsBalance).toBe(0);
    expect(await entries(member.customerId)).toEqual([]);
  });
});
