import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { EVENT_TYPES, EXAMPLE_PAYLOADS } from "~/domain/events/index";
import { omnisendEventName } from "~/domain/omnisend";
import { connectOmnisend } from "~/services/omnisend/connection.server";
import { drainOmnisend } from "~/services/omnisend/drain.server";
import { omnisendStatus, resyncOmnisendContacts } from "~/services/omnisend/status.server";
import { deliver } from "../../support/deliveries";
import { newMember, recordExampleEvent } from "../../support/klaviyo";
import { steppingClock } from "../../support/drains";
import { OMNISEND_KEY, omnisendDeliveries, omnisendStandIn } from "../../support/omnisend";

const omnisend = omnisendStandIn();

async function connectedMember(contact?: Parameters<typeof newMember>[0]) {
  const created = await newMember(contact);
  await connectOmnisend(created.shop.id, OMNISEND_KEY);
  return created;
}

describe("Omnisend event delivery (contract)", () => {
  it("sends every catalog event once, named as the catalog says, with the contact's properties", async () => {
    const { shop, member } = await connectedMember({ email: "omni-contract@example.com" });
    const recorded = new Map<string, string>();
    for (const type of EVENT_TYPES) {
      recorded.set(type, (await recordExampleEvent(member.id, type)).id);
    }
    const invitationId = EXAMPLE_PAYLOADS["referral.sent"].invitation_id!;
    await prisma.referralInvite.create({
      data: {
        id: invitationId,
        shopId: shop.id,
        advocateMemberId: member.id,
        friendEmailKey: "omni-k",
        friendEmail: "omni.friend@example.com",
        day: "2026-12-07",
        eventId: recorded.get("referral.sent"),
      },
    });
    const afterConnect = omnisend().state.requests.length;

    const report = await drainOmnisend(shop.id);

    expect(report).toMatchObject({ state: "done", events: { delivered: EVENT_TYPES.length } });
    // Every request passed the stand-in's contract validation and its rate limit.
    const refused = omnisend()
      .state.requests.slice(afterConnect)
      .filter((r) => r.status >= 400);
    expect(refused).toEqual([]);
    for (const type of EVENT_TYPES) {
      const sent = omnisend().state.events.filter((e) => e.eventID === recorded.get(type));
      expect(sent, type).toHaveLength(1);
      expect(sent[0]!.eventName).toBe(omnisendEventName(type));
      expect(sent[0]!.origin).toBe("loyalty-rewards-app");
    }
    // The invitation reached the friend's contact, without the advocate's standing.
    const invitation = omnisend().state.events.find(
      (e) => e.eventID === recorded.get("referral.sent"),
    );
    expect(omnisend().state.contactById(invitation!.contactID!)?.identifiers[0]?.id).toBe(
      "omni.friend@example.com",
    );
    expect(invitation!.properties).not.toHaveProperty("member_points_balance");
    // Sent to the only connected email platform: the friend's address is not kept (ADR 0056).
    const invite = await prisma.referralInvite.findUniqueOrThrow({ where: { id: invitationId } });
    expect(invite.friendEmail).toBeNull();
    // The member's contact holds the catalog §4 properties, current at sending time.
    const contact = omnisend().state.contactByEmail("omni-contract@example.com");
    const current = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(contact?.customProperties).toMatchObject({
      loyalty_member: true,
      loyalty_points_balance: current.pointsBalance,
      loyalty_vip_tier: "",
    });
    const ids = new Set(recorded.values());
    const deliveries = await omnisendDeliveries(shop.id);
    expect(deliveries.filter((d) => ids.has(d.eventId) && d.state !== "delivered")).toEqual([]);
  });

  it("keeps a member's contact current through orders and refunds from Shopify's webhooks", async () => {
    const { shop, member, customer, store } = await connectedMember({
      email: "omni-orders@example.com",
    });
    await drainOmnisend(shop.id);
    const order = store.addPaidOrder(customer, [{ title: "Mug", price: "25.00", quantity: 2 }]);
    await deliver("orders/paid", order);
    const earned = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(earned.pointsBalance).toBeGreaterThan(member.pointsBalance);

    expect(await drainOmnisend(shop.id)).toMatchObject({ state: "done", events: { delivered: 1 } });
    const added = omnisend().state.eventsNamed("loyalty points added").at(-1)!;
    expect(added.properties).toMatchObject({ source: "purchase" });
    expect(
      omnisend().state.contactByEmail("omni-orders@example.com")?.customProperties,
    ).toMatchObject({
      loyalty_points_balance: earned.pointsBalance,
      loyalty_lifetime_points_earned: earned.lifetimeEarned,
    });
  });
});

describe("Omnisend down, then throttling, then back", () => {
  it("delivers every event exactly once afterwards, and the admin data shows the retries", async () => {
    const { shop, member } = await connectedMember();
    await drainOmnisend(shop.id);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await recordExampleEvent(member.id, "points.added")).id);
    const clock = steppingClock();

    omnisend().state.setOutage(true);
    const first = await drainOmnisend(shop.id, { now: clock.now });
    expect(first.state).toBe("paused");
    const requests = omnisend().state.requests.length;
    // Before the pause ends nothing is tried.
    expect((await drainOmnisend(shop.id, { now: clock.now })).state).toBe("paused");
    expect(omnisend().state.requests.length).toBe(requests);
    const during = await omnisendStatus(shop.id, clock.now());
    expect(during.events.retrying).toBeGreaterThan(0);
    expect(during.connection?.failureStreak).toBe(1);
    expect(during.problems[0]).toMatchObject({ state: "retrying", attempts: 1 });

    omnisend().state.setOutage(false);
    omnisend().state.failNext(2, 429);
    for (let round = 0; round < 10; round++) {
      const status = await prisma.omnisendConnection.findUniqueOrThrow({
        where: { shopId: shop.id },
      });
      clock.jumpPast(status.pausedUntil);
      const report = await drainOmnisend(shop.id, { now: clock.now });
      if (report.state === "done") break;
      if (report.state === "paused") expect(report.pause.reason).toMatch(/Throttled|unavailable/i);
    }

    const received = omnisend().state.events.filter((e) => ids.includes(e.eventID));
    expect(received.map((e) => e.eventID).sort()).toEqual([...ids].sort());
    const deliveries = (await omnisendDeliveries(shop.id)).filter((d) => ids.includes(d.eventId));
    expect(deliveries.every((d) => d.state === "delivered")).toBe(true);
    const after = await omnisendStatus(shop.id, clock.now());
    expect(after.events).toMatchObject({ pending: 0, retrying: 0, failed: 0 });
    expect(after.connection).toMatchObject({ failureStreak: 0, pausedUntil: null });
  });
});

describe("members Omnisend cannot hold, and Sync now", () => {
  it("skips events of a customer with neither email nor phone, with the reason", async () => {
    const { shop, member } = await connectedMember({ email: null });
    const event = await recordExampleEvent(member.id, "points.added");
    const report = await drainOmnisend(shop.id);
    expect(report.state).toBe("done");
    const delivery = (await omnisendDeliveries(shop.id)).find((d) => d.eventId === event.id);
    expect(delivery).toMatchObject({ state: "skipped" });
    expect(delivery?.lastError).toMatch(/no email or phone/);
    const sync = await prisma.omnisendContactSync.findUniqueOrThrow({
      where: { memberId: member.id },
    });
    expect(sync.state).toBe("unreachable");
  });

  it("Sync now sends every member's contact again, and no event twice", async () => {
    const { shop, member } = await connectedMember({ email: "omni-sync@example.com" });
    await recordExampleEvent(member.id, "points.added");
    await drainOmnisend(shop.id);
    const eventsBefore = omnisend().state.events.length;
    const upserts = () =>
      omnisend().state.requests.filter((r) => r.method === "POST" && r.path === "/api/contacts")
        .length;
    const before = upserts();

    const count = await resyncOmnisendContacts(shop.id);
    const report = await drainOmnisend(shop.id);

    // Every member reachable by email or phone, this one included; no event sent again.
    expect(report.state).toBe("done");
    const reachable = await prisma.member.count({
      where: {
        shopId: shop.id,
        status: "active",
        OR: [{ email: { not: null } }, { phone: { not: null } }],
      },
    });
    expect(count).toBeGreaterThanOrEqual(reachable);
    expect(report.state === "done" && report.contacts).toBe(reachable);
    expect(upserts() - before).toBe(reachable);
    expect(omnisend().state.events.length).toBe(eventsBefore);
  });
});
