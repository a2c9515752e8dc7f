import prisma from "~/db.server";
import type { KlaviyoApiError } from "~/integrations/klaviyo";
import { suspendConnection } from "./connection.server";

/** Why and until when nothing more goes to a shop's Klaviyo account; `until` null: until reconnected. */
export type Pause = { until: Date | null; reason: string };

const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 15 * 60_000;

/** 5 s, 10 s, 20 s … capped at 15 minutes, with ±20 % jitter so shops do not retry in lockstep. */
export function backoffMs(streak: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(0, streak - 1), MAX_BACKOFF_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Klaviyo pushed back: throttled (wait Retry-After), failing (back off, longer each time) or
 * refusing the credential (stop until the merchant reconnects). The deliveries that were in flight
 * show the attempt, the reason and when the next one is due.
 */
export async function recordFailure(
  shopId: string,
  error: KlaviyoApiError,
  now: Date,
  eventIds: string[],
): Promise<Pause> {
  let pause: Pause;
  if (error.kind === "unauthorized" || error.kind === "forbidden") {
    await suspendConnection(shopId, error);
    pause = { until: null, reason: `Klaviyo refused the credential: ${error.detail}` };
  } else if (error.kind === "throttled") {
    const until = new Date(now.getTime() + (error.retryAfterSeconds ?? 1) * 1000);
    await prisma.klaviyoConnection.update({ where: { shopId }, data: { pausedUntil: until } });
    pause = { until, reason: `Throttled by Klaviyo: ${error.detail}` };
  } else {
    const { failureStreak } = await prisma.klaviyoConnection.update({
      where: { shopId },
      data: { failureStreak: { increment: 1 } },
      select: { failureStreak: true },
    });
    const until = new Date(now.getTime() + backoffMs(failureStreak));
    await prisma.klaviyoConnection.update({ where: { shopId }, data: { pausedUntil: until } });
    pause = { until, reason: error.detail };
  }
  await prisma.eventDelivery.updateMany({
    where: {
      eventId: { in: eventIds },
      destination: "klaviyo",
      state: { in: ["pending", "backfill"] },
    },
    data: {
      attempts: { increment: 1 },
      lastError: pause.reason.slice(0, 2000),
      nextAttemptAt: pause.until,
    },
  });
  return pause;
}

/** A request went through: forget the failure streak and any pause. */
export async function recordSuccess(shopId: string) {
  await prisma.klaviyoConnection.updateMany({
    where: { shopId, OR: [{ failureStreak: { gt: 0 } }, { pausedUntil: { not: null } }] },
    data: { failureStreak: 0, pausedUntil: null },
  });
}
