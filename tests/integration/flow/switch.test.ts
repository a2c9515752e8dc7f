import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import {
  deliverPendingFlowTriggers,
  flowBackoffMs,
  MAX_FLOW_ATTEMPTS,
} from "~/services/flow/delivery.server";
import {
  FLOW_OFF_REASON,
  flowSettings,
  resendRecentlySkipped,
  setFlowEnabled,
} from "~/services/flow/settings.server";
import { flowStatus, retryFailedFlowTriggers } from "~/services/flow/status.server";
import { createTestAdminApi } from "../../../sandbox/shopify/admin-graphql/testing";
import { loadFlowTriggerSpecs } from "../../../sandbox/shopify/flow-trigger-specs";
import { deliver, newStore } from "../../support/deliveries";

/** The app's Admin API client shape, answered by the Shopify stand-in (schema-validated, costed). */
function adminFor(api: ReturnType<typeof createTestAdminApi>): AdminGraphql {
  return {
    graphql: async (query, options) =>
      new Response(JSON.stringify((await api.gql(query, options?.variables ?? {})).body)),
  };
}

/** Shopify cannot be reached at all (DNS, connection refused, timeouts). */
const unreachable: AdminGraphql = {
  graphql: async () => {
    throw new Error("connect ECONNREFUSED 10.0.0.1:443");
  },
};

let shopId: string;

/** A member with two triggers waiting: Member activated and Points added. */
async function memberWithEvents(points = 25) {
  const store = newStore();
  const customer = store.addCustomer({ email: `switch${store.newId()}@example.com` });
  await deliver("customers/create", customer);
  shopId = (await prisma.shop.findFirstOrThrow()).id;
  await addPoints(customer.id, points);
  return customer.id;
}

async function addPoints(customerId: number, points: number) {
  await adjustPoints({
    shopId,
    customerId: BigInt(customerId),
    points,
    note: null,
    source: "manual",
    idempotencyKey: `switch:${customerId}:${points}`,
  });
}

async function flowDeliveriesOf(customerId: number) {
  return prisma.eventDelivery.findMany({
    where: { destination: "flow", event: { customerId: BigInt(customerId) } },
    include: { event: { select: { type: true } } },
    orderBy: { event: { occurredAt: "asc" } },
  });
}

const sentTo = (api: ReturnType<typeof createTestAdminApi>, customerId: number) =>
  api.store.adminApi.flowTriggers.filter((t) => t.payload.customer_id === customerId);

beforeEach(async () => {
  // Each test starts with Flow on and no earlier test's triggers in the shop's counts.
  await prisma.eventDelivery.deleteMany({ where: { destination: "flow" } });
  await prisma.flowSettings.deleteMany();
});

describe("the per-shop Flow switch", () => {
  it("is on for a shop that never touched it", async () => {
    await memberWithEvents();
    expect(await flowSettings(shopId)).toEqual({ enabled: true, changedAt: null });
  });

  it("off: triggers get their delivery rows, marked skipped with the reason, and nothing is sent", async () => {
    await memberWithEvents();
    expect(await setFlowEnabled(shopId, false)).toBe(2);
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });
    const store = newStore();
    const customer = store.addCustomer({ email: `off${store.newId()}@example.com` });

    // WHEN events happen while Flow is off
    await deliver("customers/create", customer);
    await addPoints(customer.id, 40);
    const report = await deliverPendingFlowTriggers(shopId, adminFor(api));

    // THEN they have flow rows, skipped with the reason, and Flow received nothing
    expect(report).toMatchObject({ delivered: 0, skipped: 2, remaining: 0 });
    const rows = await flowDeliveriesOf(customer.id);
    expect(rows.map((r) => [r.event.type, r.state, r.lastError])).toEqual([
      ["member.activated", "skipped", FLOW_OFF_REASON],
      ["points.added", "skipped", FLOW_OFF_REASON],
    ]);
    expect(api.store.adminApi.flowTriggers).toHaveLength(0);
  });

  it("turning it back on sends no old trigger, only the events after it", async () => {
    await setFlowEnabled(shopId, false);
    const customerId = await memberWithEvents();
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });

    // GIVEN the worker had not run yet while Flow was off
    expect(await setFlowEnabled(shopId, true)).toBe(2);
    await deliverPendingFlowTriggers(shopId, adminFor(api));
    expect(sentTo(api, customerId)).toHaveLength(0);

    // WHEN points are added after it is on again
    await addPoints(customerId, 7);
    await deliverPendingFlowTriggers(shopId, adminFor(api));

    // THEN only that event's trigger went out
    expect(sentTo(api, customerId).map((t) => [t.handle, t.payload.Points])).toEqual([
      ["loyalty-points-added", 7],
    ]);
  });

  it("a switch already in that position changes nothing (on → on keeps waiting triggers)", async () => {
    const customerId = await memberWithEvents();

    expect(await setFlowEnabled(shopId, true)).toBeNull();

    const rows = await flowDeliveriesOf(customerId);
    expect(rows.map((r) => r.state)).toEqual(["pending", "pending"]);
    expect((await flowSettings(shopId)).enabled).toBe(true);
    await setFlowEnabled(shopId, false);
    expect(await setFlowEnabled(shopId, false)).toBeNull();
  });

  it("turning it off stops triggers that were waiting or retrying", async () => {
    const customerId = await memberWithEvents();
    await deliverPendingFlowTriggers(shopId, unreachable);

    expect(await setFlowEnabled(shopId, false)).toBe(2);

    const rows = await flowDeliveriesOf(customerId);
    expect(rows.map((r) => [r.state, r.lastError, r.nextAttemptAt])).toEqual([
      ["skipped", FLOW_OFF_REASON, null],
      ["skipped", FLOW_OFF_REASON, null],
    ]);
  });

  it("'Send skipped' queues again only those skipped for the switch within the last 24 h", async () => {
    const now = new Date();
    await setFlowEnabled(shopId, false);
    const customerId = await memberWithEvents();
    await deliverPendingFlowTriggers(shopId, unreachable);
    const [activated] = await flowDeliveriesOf(customerId);
    // The Member activated event happened a day and a minute ago.
    await prisma.loyaltyEvent.update({
      where: { id: activated!.eventId },
      data: { occurredAt: new Date(now.getTime() - 24 * 3600_000 - 60_000) },
    });

    expect(await resendRecentlySkipped(shopId, now)).toBe(0); // Flow is still off
    await setFlowEnabled(shopId, true);
    expect((await flowStatus(shopId, now)).triggers.resendable).toBe(1);
    expect(await resendRecentlySkipped(shopId, now)).toBe(1);

    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });
    await deliverPendingFlowTriggers(shopId, adminFor(api));
    expect(sentTo(api, customerId).map((t) => t.handle)).toEqual(["loyalty-points-added"]);
    expect((await flowDeliveriesOf(customerId)).map((r) => r.state)).toEqual([
      "skipped",
      "delivered",
    ]);
  });
});

describe("Flow delivery state for the admin", () => {
  it("shows a retrying trigger with its attempts, Shopify's reason, next attempt and the lag", async () => {
    const customerId = await memberWithEvents();
    const start = new Date(Date.now() + 5_000);

    const report = await deliverPendingFlowTriggers(shopId, unreachable, 50, () => start);
    const status = await flowStatus(shopId, start);

    expect(report.waitUntil).toEqual(new Date(start.getTime() + flowBackoffMs(1)));
    expect(status.triggers).toMatchObject({ pending: 2, retrying: 1, failed: 0, delivered: 0 });
    expect(status.lagSeconds).toBeGreaterThanOrEqual(5);
    expect(status.problems).toEqual([
      expect.objectContaining({
        type: "member.activated",
        customerId: String(customerId),
        state: "retrying",
        attempts: 1,
        reason: expect.stringContaining("ECONNREFUSED"),
        nextAttemptAt: report.waitUntil,
      }),
    ]);
    // Before it is due nothing is attempted (the Points added trigger waits behind it, in order).
    await deliverPendingFlowTriggers(shopId, unreachable, 50, () => start);
    expect((await flowStatus(shopId, start)).problems[0]?.attempts).toBe(1);
  });

  it("backs off longer each time and fails the trigger after the last attempt; 'Retry failed' sends it", async () => {
    const customerId = await memberWithEvents();
    let clock = Date.now();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_FLOW_ATTEMPTS; attempt++) {
      const report = await deliverPendingFlowTriggers(
        shopId,
        unreachable,
        50,
        () => new Date(clock),
      );
      if (report.waitUntil) {
        waits.push(report.waitUntil.getTime() - clock);
        clock = report.waitUntil.getTime();
      }
    }
    expect(waits).toHaveLength(MAX_FLOW_ATTEMPTS - 1);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits.at(-1)).toBe(15 * 60_000);

    const status = await flowStatus(shopId, new Date(clock));
    expect(status.triggers).toMatchObject({ failed: 1, pending: 1, retrying: 0 });
    expect(status.problems[0]).toMatchObject({
      type: "member.activated",
      state: "failed",
      attempts: MAX_FLOW_ATTEMPTS,
      nextAttemptAt: null,
    });

    // WHEN Shopify is back and the merchant clicks Retry failed
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });
    expect(await retryFailedFlowTriggers(shopId)).toBe(1);
    await deliverPendingFlowTriggers(shopId, adminFor(api), 50, () => new Date(clock));

    // THEN both triggers are delivered, once each, in order
    expect(sentTo(api, customerId).map((t) => t.handle)).toEqual([
      "loyalty-member-activated",
      "loyalty-points-added",
    ]);
    const after = await flowStatus(shopId, new Date(clock));
    expect(after.triggers).toMatchObject({ delivered: 2, failed: 0, pending: 0 });
    expect(after.problems).toEqual([]);
    expect(after.lagSeconds).toBe(0);
  });

  it("an event the catalog no longer accepts fails with the reason, and the next trigger still goes", async () => {
    const customerId = await memberWithEvents();
    const [activated, added] = await flowDeliveriesOf(customerId);
    await prisma.loyaltyEvent.update({
      where: { id: activated!.eventId },
      data: { payload: { colour: "red" } },
    });
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });

    const report = await deliverPendingFlowTriggers(shopId, adminFor(api));

    expect(report).toMatchObject({ delivered: 1, rejected: 1, remaining: 0 });
    expect(sentTo(api, customerId).map((t) => t.handle)).toEqual(["loyalty-points-added"]);
    const status = await flowStatus(shopId);
    expect(status.problems).toEqual([
      expect.objectContaining({ eventId: activated!.eventId, state: "failed", attempts: 0 }),
    ]);
    expect(status.problems[0]?.reason).toBeTruthy();
    expect(added?.eventId).not.toBe(activated?.eventId);
  });
});

describe("one delivery run per shop", () => {
  it("two runs at once (the queued job and the sweep's) send each trigger once", async () => {
    const customerId = await memberWithEvents();
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });
    const slow: AdminGraphql = {
      graphql: async (query, options) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return adminFor(api).graphql(query, options);
      },
    };

    const [a, b] = await Promise.all([
      deliverPendingFlowTriggers(shopId, slow),
      deliverPendingFlowTriggers(shopId, slow),
    ]);

    expect(a.delivered + b.delivered).toBe(2);
    expect(sentTo(api, customerId).map((t) => t.handle)).toEqual([
      "loyalty-member-activated",
      "loyalty-points-added",
    ]);
    // The claim is released: the next run can send again.
    await addPoints(customerId, 3);
    expect((await deliverPendingFlowTriggers(shopId, slow)).delivered).toBe(1);
  });

  it("a batch under way stops sending when the merchant turns Flow off", async () => {
    const customerId = await memberWithEvents();
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });
    const turnsOffAfterFirst: AdminGraphql = {
      graphql: async (query, options) => {
        const response = await adminFor(api).graphql(query, options);
        await setFlowEnabled(shopId, false);
        return response;
      },
    };

    const report = await deliverPendingFlowTriggers(shopId, turnsOffAfterFirst);

    expect(report.delivered).toBe(1);
    expect(sentTo(api, customerId).map((t) => t.handle)).toEqual(["loyalty-member-activated"]);
    expect((await flowDeliveriesOf(customerId)).map((r) => r.state)).toEqual([
      "delivered",
      "skipped",
    ]);
  });
});
