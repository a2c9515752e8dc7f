import type { Member, Prisma } from "@prisma/client";
import { annualKey, birthdayIssue, birthMonthEnteredDue, type Birthday } from "~/domain/birthdays";
import { logger } from "~/lib/logger.server";
import { postEntry } from "../ledger/post-entry.server";
import { recordEvent } from "../events/outbox.server";
import type { DailyContext } from "./context";
import { claimEventKey } from "../events/event-keys.server";
import { grantRewardLater } from "../rewards/grants/record.server";

/**
 * birth_month.entered with the birthday benefits (the program's birthday points and reward, if
 * any), on the 1st of the birth month in the shop's zone, or the day after a capture later in
 * that month.
 * Once per member and year: the annual key is claimed as an event key, and the same key is the
 * bonus's ledger idempotency key. Returns the member as it is afterwards (locked by the caller).
 */
export async function applyBirthMonthEntered(
  tx: Prisma.TransactionClient,
  member: Member,
  context: DailyContext,
): Promise<{ member: Member; entered: boolean }> {
  const unchanged = { member, entered: false };
  if (member.birthMonth === null) return unchanged;
  // A month-only birthday is due on the 1st like any other; day 1 keeps it a valid date.
  const birthday: Birthday = {
    month: member.birthMonth,
    day: member.birthDay ?? 1,
    year: member.birthYear,
  };
  const issue = birthdayIssue(birthday);
  if (issue) {
    // Stored before validation existed, or edited by hand: skip it rather than fail every day.
    logger.warn("stored birthday is invalid", { memberId: member.id, issue });
    return unchanged;
  }

  const { config, now, timeZone } = context;
  // The capture time is the newest birth_month.captured event: the outbox is the record of it.
  const captured = await tx.loyaltyEvent.findFirst({
    where: { shopId: member.shopId, memberId: member.id, type: "birth_month.captured" },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
  });
  // No lastGrantedYear: the claimed key is that record, and the windows of two years never overlap,
  // so at most one year is due on any day and its key alone decides.
  const due = birthMonthEnteredDue(birthday, captured?.occurredAt ?? null, null, now, timeZone);
  if (!due.due) return unchanged;
  const key = annualKey("birth_month", member.id, due.year);
  if (!(await claimEventKey(tx, member, key))) return unchanged;

  let current = member;
  let awarded = 0;
  const bonus = config.bonuses.birthdayPoints;
  if (bonus > 0) {
    const result = await postEntry(tx, current, {
      kind: "bonus",
      source: "birthday_bonus",
      points: bonus,
      idempotencyKey: key,
      detail: { year: due.year },
      now,
    });
    if (result.status === "posted") {
      current = result.member;
      awarded = bonus;
      await recordEvent(
        tx,
        current,
        config,
        "points.added",
        { points: bonus, source: "birthday_bonus", order_id: null, order_name: null, note: null },
        now,
      );
    }
  }
  const entered = {
    birth_month: member.birthMonth,
    birth_day: member.birthDay,
    year: due.year,
    points_awarded: awarded,
  };
  // With a birthday reward, the event waits for it, so it carries its name, code and expiry
  // (recorded by the grant's issue, or without a reward if Shopify refuses it: follow-up.server).
  const granted = await grantRewardLater(
    tx,
    member,
    "birthday",
    config.bonuses.birthdayRewardHandle,
    `grant:birthday:${member.id}:${due.year}`,
    { type: "birth_month.entered", payload: entered, occurredAt: now.toISOString() },
  );
  if (!granted) {
    await recordEvent(
      tx,
      current,
      config,
      "birth_month.entered",
      { ...entered, reward_name: null, reward_code: null, reward_expires_at: null },
      now,
    );
  }
  return { member: current, entered: true };
}
