import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { action as customAction } from "~/routes/flow.custom-action-points";
import { signedFlowActionRequest } from "../../../sandbox/shopify/signing";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, callAction, TEST_SHOP } from "../../support/webhooks";

// Flow's "Add points for a custom action" through the signed action route (issue #23).

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

async function newMember() {
  const member = await memberWithPoints(0);
  shopifyStore = member.store;
  return { ...member, id: String(member.customerId), number: Number(member.customerId) };
}

async function entries(customerId: bigint) {
  const member = await prisma.member.findFirstOrThrow({ where: { customerId } });
  return prisma.ledgerEntry.findMany({
    where: { memberId: member.id },
    orderBy: { createdAt: "asc" },
  });
}

describe("Flow action: Add points for a custom action", () => {
  it("credits the points with source custom_action and the action name in the note, once per run", async () => {
    const member = await newMember();
    const properties = {
      customer_id: member.id,
      action_name: "Left a review",
      points: "25",
      limit: "3",
      period: "month",
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
        note: "Left a review",
        order_id: null,
      }),
    ]);
    expect(await entries(member.customerId)).toEqual([
      expect.objectContaining({
        kind: "bonus",
        source: "custom_action",
        idempotencyKey: "flow:custom-once",
      }),
    ]);
  });

  it("refuses a run over the limit with a non-retryable 409 and writes nothing; other actions count apart", async () => {
    const member = await newMember();
    const review = {
      customer_id: member.id,
      action_name: "Left a review",
      points: 10,
      limit: 2,
      period: "year",
    };

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await flow(review));
    // The same action in other words counts together; another action has its own limit.
    const respelled = await flow({ ...review, action_name: "  left a  REVIEW " });
    const survey = await flow({ ...review, action_name: "Answered the survey" });

    expect(answers.map((a) => a.status)).toEqual([200, 200, 409]);
    const refusal = (await answers[2]!.json()) as Record<string, unknown>;
    expect(refusal).toMatchObject({ ok: false, code: "limit_reached" });
    expect(refusal.message).toMatch(/Left a review.*2 times this year/);
    expect(respelled.status).toBe(409);
    expect(survey.status).toBe(200);
    expect((await memberOf(member.number))?.pointsBalance).toBe(30);
    expect(await eventsOf(member.number, "points.added")).toHaveLength(3);
    await expectBalanceMatchesLedger(member.number);
  });

  it("counts per period in the shop's time zone: the next local day gives room again", async () => {
    const member = await newMember();
    await prisma.shop.updateMany({ data: { timeZone: "America/New_York" } });
    const daily = {
      customer_id: member.id,
      action_name: "Daily check-in",
      points: 5,
      limit: 1,
      period: "day",
    };
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

  it("without a limit credits every run; with a limit and no period the limit is for ever", async () => {
    const member = await newMember();
    const unlimited = { customer_id: member.id, action_name: "Shared a photo", points: 1 };
    const once = {
      customer_id: member.id,
      action_name: "Completed profile",
      points: 50,
      limit: 1,
      period: "",
    };

    const shared = [await flow(unlimited), await flow(unlimited), await flow(unlimited)];
    const profile = [await flow(once), await flow(once)];

    expect(shared.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(profile.map((a) => a.status)).toEqual([200, 409]);
    expect((await memberOf(member.number))?.pointsBalance).toBe(53);
  });

  it("two runs at once at the limit: exactly one is credited", async () => {
    const member = await newMember();
    const once = {
      customer_id: member.id,
      action_name: "Joined the club",
      points: 100,
      limit: 1,
      period: "ever",
    };

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
    const good = { customer_id: member.id, action_name: "Left a review", points: 5 };

    const noName = await flow({ ...good, action_name: undefined });
    const blankName = await flow({ ...good, action_name: "   " });
    const zero = await flow({ ...good, points: 0 });
    const negative = await flow({ ...good, points: "-5" });
    const badPeriod = await flow({ ...good, limit: 1, period: "fortnight" });
    const zeroLimit = await flow({ ...good, limit: 0, period: "day" });
    const periodWithoutLimit = await flow({ ...good, period: "week" });
    const unknown = await flow({ ...good, customer_id: "999999" });

    const messages = async (r: Response) => ((await r.json()) as { message: string }).message;
    expect(noName.status).toBe(422);
    expect(await messages(noName)).toMatch(/action_name/);
    expect(blankName.status).toBe(422);
    expect(zero.status).toBe(422);
    expect(await messages(zero)).toMatch(/points/);
    expect(negative.status).toBe(422);
    expect(badPeriod.status).toBe(422);
    expect(await messages(badPeriod)).toMatch(/day, week, month, year or ever/);
    expect(zeroLimit.status).toBe(422);
    expect(await messages(zeroLimit)).toMatch(/limit/);
    expect(periodWithoutLimit.status).toBe(422);
    expect(unknown.status).toBe(404);
    expect((await memberOf(member.number))?.pointsBalance).toBe(0);
    expect(await entries(member.customerId)).toEqual([]);
  });
});
