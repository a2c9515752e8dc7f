import type { Member, Prisma } from "@prisma/client";
import { addDays, localDate } from "~/domain/calendar";
import { annualKey, anniversaryDue, CATCH_UP_DAYS } from "~/domain/birthdays";
import { postEntry } from "../ledger/post-entry.server";
import { recordEvent } from "../events/outbox.server";
import type { DailyContext } from "./context";

/**
 * The anniversary bonus (program `bonuses.anniversaryPoints`): points.added source `anniversary`
 * on the shop-local date the member joined (Member.createdAt), from the first anniversary on, with
 * the domain's catch-up days. The annual key is the ledger idempotency key: once per member and
 * year, whatever the number of runs. The member row must be locked by the caller.
 */
export async function applyAnniversaryBonus(
  tx: Prisma.TransactionClient,
  member: Member,
  context: DailyContext,
): Promise<{ member: Member; granted: boolean }> {
  const { config, now, timeZone } = context;
  const points = config.bonuses.anniversaryPoints;
  if (points === 0) return { member, granted: false };
  const due = anniversaryDue(member.createdAt, null, now, timeZone);
  if (!due.due) return { member, granted: false };
  const result = await postEntry(tx, member, {
    kind: "bonus",
    source: "anniversary",
    points,
    idempotencyKey: annualKey("anniversary", member.id, due.year),
    detail: { year: due.year },
    now,
  });
  if (result.status !== "posted") return { member, granted: false };
  await recordEvent(
    tx,
    result.member,
    config,
    "points.added",
    { points, source: "anniversary", order_id: null, order_name: null, note: null },
    now,
  );
  return { member: result.member, granted: true };
}

/**
 * Members whose join-date anniversary may be due today: joined on one of the last CATCH_UP_DAYS
 * local month-days (Feb 29 joins with Feb 28 in non-leap years) in an earlier year. One query per
 * shop and day (a pass over the shop's members in the database) instead of a transaction per
 * member; the domain then decides for each candidate.
 */
export async function anniversaryCandidates(
  tx: Prisma.TransactionClient,
  context: DailyContext,
): Promise<string[]> {
  if (context.config.bonuses.anniversaryPoints === 0) return [];
  const today = localDate(context.now, context.timeZone);
  const monthDays = new Set<string>();
  for (let back = 0; back < CATCH_UP_DAYS; back += 1) {
    const day = addDays(today, -back);
    monthDays.add(`${pad(day.month)}-${pad(day.day)}`);
    if (day.month === 2 && day.day === 28) monthDays.add("02-29");
  }
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Member"
    WHERE "shopId" = ${context.shopId}::uuid
      AND "status" = 'active'
      AND to_char(("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${context.timeZone}, 'MM-DD')
        = ANY(${[...monthDays]}::text[])
      AND EXTRACT(YEAR FROM ("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${context.timeZone})
        < ${today.year}`;
  return rows.map((row) => row.id);
}

const pad = (n: number) => String(n).padStart(2, "0");
