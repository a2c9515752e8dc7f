import { startOfLocalDay } from "../calendar";

/** The Klaviyo list of active members the optional daily list sync keeps (seed 004). */
export const MEMBER_LIST_NAME = "Loyalty members";

/** Shopify email marketing states that keep a member off the list (ADR 0069). */
export const OFF_LIST_EMAIL_STATES: readonly string[] = ["unsubscribed"];

/**
 * Whether a member belongs on the "Loyalty members" list: active (not deleted, redacted or merged
 * away) and not unsubscribed from email marketing. A member whose consent Shopify never sent is on it.
 */
export function belongsOnMemberList(member: {
  status: string;
  emailMarketingState: string | null;
}): boolean {
  return (
    member.status === "active" &&
    (member.emailMarketingState === null ||
      !OFF_LIST_EMAIL_STATES.includes(member.emailMarketingState))
  );
}

/**
 * Whether the list sync is due: the merchant asked for one since the last, or the shop's local time
 * has passed today's sync hour and the list was not synced since then. (On the two DST change days
 * the hour is counted from local midnight, so it may run an hour early or late.)
 */
export function listSyncDue(input: {
  now: Date;
  timeZone: string;
  hour: number | null;
  lastSyncedAt: Date | null;
  /** "Sync list now" in the admin. */
  requestedAt?: Date | null;
}): boolean {
  const { requestedAt, lastSyncedAt } = input;
  if (requestedAt && (lastSyncedAt === null || requestedAt > lastSyncedAt)) return true;
  if (input.hour === null) return false;
  const dueAt = new Date(
    startOfLocalDay(input.now, input.timeZone).getTime() + input.hour * 3_600_000,
  );
  if (input.now < dueAt) return false;
  return input.lastSyncedAt === null || input.lastSyncedAt < dueAt;
}
