import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { KlaviyoApiError, KlaviyoRateLimiter, klaviyoClient } from "~/integrations/klaviyo/index";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { klaviyoStatus, retryFailedKlaviyoEvents } from "~/services/klaviyo/status.server";
import { steppingClock } from "../../support/drains";
import { KLAVIYO_KEY, klaviyoStandIn, newMember, recordExampleEvent } from "../../support/klaviyo";

const klaviyo = klaviyoStandIn();

describe("Klaviyo down, then throttling, then back", () => {
  it("delivers every event exactly once afterwards, and the admin data shows the retries", async () => {
    const { shop, member } = await newMember();
    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await recordExampleEvent(member.id, "points.added")).id);
    const clock = steppingClock();

    // GIVEN an outage: each drain backs off a little longer.
    klaviyo().state.setOutage(true);
    const firstAt = clock.now();
    const first = await drainKlaviyo(shop.id, clock.now);
    expect(first.state).toBe("paused");
    const firstPause = first.state === "paused" ? first.pause.until! : null;
    // Before the pause ends nothing is tried.
    const requests = klaviyo().state.requests.length;
    expect((await drainKlaviyo(shop.id, clock.now)).state).toBe("paused");
    expect(klaviyo().state.requests.length).toBe(requests);
    clock.jumpPast(firstPause);
    const secondAt = clock.now();
    const second = await drainKlaviyo(shop.id, clock.now);
    const secondPause = second.state === "paused" ? second.pause.until! : null;
    // The second back-off (10 s ± 20 %) is longer than the first (5 s ± 20 %).
    expect(secondPause!.getTime() - secondAt.getTime()).toBeGreaterThan(
      firstPause!.getTime() - firstAt.getTime(),
    );
    const during = await klaviyoStatus(shop.id, clock.now());
    expect(during.events.retrying).toBe(25);
    expect(during.connection?.failureStreak).toBe(2);
    expect(during.problems[0]).toMatchObject({ state: "retrying", attempts: 2 });
    expect(during.problems[0]!.reason).toMatch(/Service unavailable/);
    expect(during.problems[0]!.nextAttemptAt).toEqual(secondPause);
    expect(during.lagSeconds).toBeGreaterThanOrEqual(0);

    // WHEN Klaviyo comes back but throttles: the drain waits Retry-After, not its backoff.
    klaviyo().state.setOutage(false);
    klaviyo().state.failNext(3, 429);
    clock.jumpPast(secondPause);
    const throttled = await drainKlaviyo(shop.id, clock.now);
    expect(throttled.state).toBe("paused");
    if (throttled.state === "paused") expect(throttled.pause.reason).toMatch(/Throttled/);
    for (let round = 0; round < 5; round++) {
      const status = await prisma.klaviyoConnection.findUniqueOrThrow({
        where: { shopId: shop.id },
      });
      clock.jumpPast(status.pausedUntil);
      if ((await drainKlaviyo(shop.id, clock.now)).state === "done") break;
    }

    // THEN every event is in Klaviyo exactly once, and the deliveries show their attempts.
    const received = klaviyo().state.events.filter((e) => ids.includes(e.unique_id));
    expect(received.map((e) => e.unique_id).sort()).toEqual([...ids].sort());
    const deliveries = await prisma.eventDelivery.findMany({
      where: { eventId: { in: ids }, destination: "klaviyo" },
    });
    expect(deliveries.every((d) => d.state === "delivered")).toBe(true);
    expect(Math.min(...deliveries.map((d) => d.attempts))).toBeGreaterThanOrEqual(3);
    const after = await klaviyoStatus(shop.id, clock.now());
    expect(after.events).toMatchObject({ pending: 0, retrying: 0, failed: 0 });
    expect(after.connection).toMatchObject({ failureStreak: 0, pausedUntil: null });
  });

  it("a request that never gets an answer times out as a transient failure", async () => {
    const client = klaviyoClient(
      { kind: "api_key", key: KLAVIYO_KEY },
      {
        baseUrl: klaviyo().url,
        account: "timeout-test",
        limiter: new KlaviyoRateLimiter(),
        timeoutMs: 300,
      },
    );
    klaviyo().state.failNext(1, "timeout");
    const error = await client.getAccount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KlaviyoApiError);
    expect(error).toMatchObject({ kind: "transient", detail: "request timed out" });
    await expect(client.getAccount()).resolves.toMatchObject({ id: klaviyo().state.account.id });
  });

  it("an event Klaviyo refuses fails alone; 'Retry failed' puts it back in the queue", async () => {
    const { shop, member } = await newMember();
    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    const event = await recordExampleEvent(member.id, "tier.updated");
    const bad = await recordExampleEvent(
      member.id,
      "tier.updated",
      new Date("1985-01-01T00:00:00Z"),
    );
    await drainKlaviyo(shop.id);
    const failed = await prisma.eventDelivery.findUniqueOrThrow({
      where: { eventId_destination: { eventId: bad.id, destination: "klaviyo" } },
    });
    expect(failed.state).toBe("failed");
    expect(klaviyo().state.events.some((e) => e.unique_id === event.id)).toBe(true);

    expect(await retryFailedKlaviyoEvents(shop.id)).toBe(1);
    const status = await klaviyoStatus(shop.id);
    expect(status.events.failed).toBe(0);
    expect(status.events.pending).toBe(1);
  });
});
