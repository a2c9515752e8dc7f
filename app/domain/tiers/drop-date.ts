// "If nothing changes, when does the member leave their tier?" (catalog §4 loyalty_tier_expiry_date,
// Stamped's tier downgrade date). Not the period end: a member who already meets the keep bar is
// renewed there, and drops only at the first review their ageing spend no longer carries.
import { measuresAt } from "./measure";
import { stepper } from "./timeline-steps";
import type { ProgramPeriod } from "./timeline-types";
import type { MemberTierState, TierMetrics } from "./types";

/** Reviews looked ahead: past this many periods without a drop, the tier is kept for good. */
const HORIZON_PERIODS = 4;
const DAY_MS = 86_400_000;

/**
 * The instant the member's tier ends if nothing changes after `now` (no order, refund, points or
 * assignment): the engine's own period reviews (the tier replay's `reviewUntil`, lock rules
 * included) run forward over the spend known now, which leaves the 365-day window as it ages.
 * Null without a tier or a period end (a tier assigned with no end), or when every review within
 * the horizon keeps the tier (a points tier: lifetime points do not fall by themselves).
 */
export function tierDropDate(input: {
  state: MemberTierState;
  program: ProgramPeriod;
  metrics: TierMetrics;
  now: Date;
}): Date | null {
  const { state, program, metrics, now } = input;
  if (state.tierId === null || state.expiresAt === null) return null;
  const { reviewUntil } = stepper(
    () => program,
    (at) => measuresAt(metrics, at),
  );
  const start = Math.max(now.getTime(), state.expiresAt.getTime());
  const until = new Date(start + HORIZON_PERIODS * program.periodDays * DAY_MS);
  let dropAt: Date | null = null;
  reviewUntil({ tier: state, origin: null, entries: [] }, until, null, (change, _r, at) => {
    if (change === "spending_downgrade" && dropAt === null) dropAt = at;
  });
  return dropAt;
}
