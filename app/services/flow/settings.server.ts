import prisma from "~/db.server";

/** The reason a delivery was skipped because the merchant had Flow delivery turned off. */
export const FLOW_OFF_REASON = "Flow delivery was off";
/** How far back "Send skipped" reaches: older triggers would surprise more than they help. */
export const RESEND_WINDOW_MS = 24 * 3600_000;

export interface FlowSettingsView {
  enabled: boolean;
  changedAt: Date | null;
}

/** A shop without a settings row has Flow delivery on (the default since install). */
export async function flowSettings(shopId: string): Promise<FlowSettingsView> {
  const row = await prisma.flowSettings.findUnique({ where: { shopId } });
  return { enabled: row?.enabled ?? true, changedAt: row?.changedAt ?? null };
}

/**
 * Turns Flow delivery on or off. Only a real change does anything: in the same transaction every
 * waiting trigger is marked skipped (ADR 0025). Turning off stops what was queued; turning on
 * drops what queued up while off, so the merchant never gets a flood of old triggers.
 * Returns how many deliveries were skipped, or null when the switch was already in that position.
 */
export async function setFlowEnabled(
  shopId: string,
  enabled: boolean,
  now = new Date(),
): Promise<number | null> {
  return prisma.$transaction(async (tx) => {
    // The row must exist for the conditional update below to be the one atomic flip.
    await tx.flowSettings.createMany({ data: [{ shopId }], skipDuplicates: true });
    const { count } = await tx.flowSettings.updateMany({
      where: { shopId, enabled: !enabled },
      data: { enabled, changedAt: now },
    });
    if (count === 0) return null;
    const skipped = await tx.eventDelivery.updateMany({
      where: { shopId, destination: "flow", state: "pending" },
      data: { state: "skipped", lastError: FLOW_OFF_REASON, nextAttemptAt: null },
    });
    return skipped.count;
  });
}

/**
 * "Send skipped from the last 24 h": the triggers skipped because Flow was off, whose event is at
 * most a day old, go back to the queue. Only while Flow is on; returns how many.
 */
export async function resendRecentlySkipped(shopId: string, now = new Date()): Promise<number> {
  const { enabled } = await flowSettings(shopId);
  if (!enabled) return 0;
  const { count } = await prisma.eventDelivery.updateMany({
    where: {
      shopId,
      destination: "flow",
      state: "skipped",
      lastError: FLOW_OFF_REASON,
      event: { occurredAt: { gte: new Date(now.getTime() - RESEND_WINDOW_MS) } },
    },
    data: { state: "pending", lastError: null, attempts: 0, nextAttemptAt: null },
  });
  return count;
}

/** Longer than any batch takes (a transient failure ends a batch at its first failed call). */
const DELIVERY_CLAIM_MS = 120_000;

/**
 * Claims the shop's Flow delivery for one run; false while another run holds it. The conditional
 * update is the lock: two workers (the queued job and the sweep's) never send a trigger twice.
 */
export async function claimFlowDelivery(shopId: string, now: Date): Promise<boolean> {
  await prisma.flowSettings.createMany({ data: [{ shopId }], skipDuplicates: true });
  const { count } = await prisma.flowSettings.updateMany({
    where: { shopId, OR: [{ deliveringUntil: null }, { deliveringUntil: { lte: now } }] },
    data: { deliveringUntil: new Date(now.getTime() + DELIVERY_CLAIM_MS) },
  });
  return count === 1;
}

export async function releaseFlowDelivery(shopId: string) {
  await prisma.flowSettings.updateMany({ where: { shopId }, data: { deliveringUntil: null } });
}
