import prisma from "~/db.server";
import type { OmnisendApiError } from "~/integrations/omnisend";
import { backoffMs, type Pause } from "../klaviyo/pause.server";
import { suspendOmnisend } from "./connection.server";

export type { Pause };

/**
 * Omnisend pushed back: throttled (wait `retryAfter`), failing (back off, longer each time) or
 * refusing the key (stop until the merchant reconnects). The events that were in flight show the
 * attempt, the reason and when the next one is due.
 */
export async function recordOmnisendFailure(
  shopId: string,
  error: OmnisendApiError,
  now: Date,
  eventIds: string[],
): Promise<Pause> {
  let pause: Pause;
  if (error.kind === "unauthorized" || error.kind === "forbidden" || error.kind === "retired") {
    await suspendOmnisend(shopId, error);
    pause = { until: null, reason: `Omnisend refused the key: ${error.detail}` };
  } else if (error.kind === "throttled") {
    const until = new Date(now.getTime() + (error.retryAfterSeconds ?? 1) * 1000);
    await prisma.omnisendConnection.update({ where: { shopId }, data: { pausedUntil: until } });
    pause = { until, reason: `Throttled by Omnisend: ${error.detail}` };
  } else {
    const { failureStreak } = await prisma.omnisendConnection.update({
      where: { shopId },
      data: { failureStreak: { increment: 1 } },
      select: { failureStreak: true },
    });
    const until = new Date(now.getTime() + backoffMs(failureStreak));
    await prisma.omnisendConnection.update({ where: { shopId }, data: { pausedUntil: until } });
    pause = { until, reason: error.detail };
  }
  await prisma.eventDelivery.updateMany({
    where: { eventId: { in: eventIds }, destination: "omnisend", state: "pending" },
    data: {
      attempts: { increment: 1 },
      lastError: pause.reason.slice(0, 2000),
      nextAttemptAt: pause.until,
    },
  });
  return pause;
}

/** A request went through: forget the failure streak and any pause. */
export async function recordOmnisendSuccess(shopId: string) {
  await prisma.omnisendConnection.updateMany({
    where: { shopId, OR: [{ failureStreak: { gt: 0 } }, { pausedUntil: { not: null } }] },
    data: { failureStreak: 0, pausedUntil: null },
  });
}
