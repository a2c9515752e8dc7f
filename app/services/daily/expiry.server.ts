import type { Member, Prisma } from "@prisma/client";
import { formatIsoDate, localDate } from "~/domain/calendar";
import { assessExpiry, expiryKey } from "~/domain/expiry";
import { postEntry } from "../ledger/post-entry.server";
import { recordEvent } from "../events/outbox.server";
import type { DailyContext } from "./context";
import { claimEventKey } from "../events/event-keys.server";
import { deriveLots } from "./point-lots";

/**
 * The ledger `source` of an expiry debit. Not a points.subtracted source (the catalog has none for
 * expiry), so an expiry writes points.expired and never points.subtracted.
 */
export const EXPIRY_SOURCE = "expired";

export interface ExpiryOutcome {
  readonly member: Member;
  readonly expiredPoints: number;
  readonly reminders: number;
}

/**
 * Expires what is left of each lot whose time has come (one debit per lot, keyed by the lot, so a
 * lot expires once however often this runs) and sends the points.expiring reminders that are due
 * (once per reminder key and member). The member row must be locked by the caller.
 */
export async function applyPointsExpiry(
  tx: Prisma.TransactionClient,
  member: Member,
  context: DailyContext,
): Promise<ExpiryOutcome> {
  const { config, now, timeZone } = context;
  if (config.expiry.kind === "none") return { member, expiredPoints: 0, reminders: 0 };
  const entries = await tx.ledgerEntry.findMany({
    where: { shopId: member.shopId, memberId: member.id },
    select: { id: true, kind: true, points: true, createdAt: true, detail: true },
  });
  const assessment = assessExpiry({
    lots: deriveLots(entries).lots,
    lastActivityAt: member.lastActivityAt,
    config: config.expiry,
    now,
    timeZone,
  });

  let current = member;
  let expiredPoints = 0;
  for (const lot of assessment.expired) {
    // Lots never hold more than the balance (see point-lots.ts); the cap only guards bad data.
    const points = Math.min(lot.points, Math.max(current.pointsBalance, 0));
    if (points === 0) continue;
    const result = await postEntry(tx, current, {
      kind: "expiry",
      source: EXPIRY_SOURCE,
      points: -points,
      idempotencyKey: expiryKey(lot.lotId),
      detail: { lotId: lot.lotId, remaining: lot.points },
    });
    if (result.status !== "posted") continue;
    current = result.member;
    expiredPoints += points;
  }
  if (expiredPoints > 0) {
    const lastActivity = current.lastActivityAt;
    await recordEvent(
      tx,
      current,
      config,
      "points.expired",
      {
        points_expired: expiredPoints,
        last_activity_date: lastActivity ? formatIsoDate(localDate(lastActivity, timeZone)) : null,
      },
      now,
    );
  }

  let reminders = 0;
  for (const reminder of assessment.reminders) {
    // The domain's key names the expiry (its day, or the activity it follows), not the member.
    if (!(await claimEventKey(tx, current, `member:${current.id}:${reminder.key}`))) continue;
    await recordEvent(
      tx,
      current,
      config,
      "points.expiring",
      {
        points_expiring: reminder.points,
        expiry_date: formatIsoDate(reminder.expiresOn),
        days_left: reminder.daysLeft,
      },
      now,
    );
    reminders += 1;
  }
  return { member: current, expiredPoints, reminders };
}
