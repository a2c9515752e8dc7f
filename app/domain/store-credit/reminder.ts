// store_credit.expiring (issue #4 scope 6): when a credit's reminder is due, and what it says.
// Pure; `now` is passed in.

const DAY_MS = 86_400_000;

/**
 * Whole days left before `expiresAt` (rounded up: 30 hours left is 2 days) when the reminder is
 * due — within `daysBefore` days of the expiry and not yet expired — or null. A reminder setting
 * of 0 never reminds.
 */
export function storeCreditReminderDays(
  expiresAt: Date,
  now: Date,
  daysBefore: number,
): number | null {
  if (daysBefore <= 0) return null;
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0 || left > daysBefore * DAY_MS) return null;
  return Math.ceil(left / DAY_MS);
}

/**
 * What of one credit can still expire: the credit less what refunds took back from it, and never
 * more than the customer's store credit balance (they may have spent it; Shopify spends the
 * soonest-expiring credit first, so the balance bounds what is left of it).
 */
export function expiringAmount(creditMinor: number, takenBackMinor: number, balanceMinor: number) {
  return Math.max(0, Math.min(creditMinor - takenBackMinor, balanceMinor));
}
