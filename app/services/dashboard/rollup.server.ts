import prisma from "~/db.server";
import { addDays, formatIsoDate, localDate, parseIsoDate } from "~/domain/calendar";
import { ROLL_UP_DAYS_SQL } from "./ledger-sums";

/**
 * Days rewritten behind the latest rolled-up one on every run: an entry committed just after local
 * midnight may carry a timestamp from the day before, which the previous run could not see yet.
 */
const OVERLAP_DAYS = 1;

export interface RollupReport {
  /** First and last day written, or null when there was nothing to do. */
  from: string | null;
  to: string | null;
}

/**
 * The daily job's dashboard step: rolls up every ended day (shop time) not rolled up yet, from the
 * shop's first ledger entry on the first run, into DashboardDay (one row per day, zeros included).
 * Running it again rewrites the same sums.
 */
export async function rollUpDashboardDays(
  shopId: string,
  timeZone: string,
  now = new Date(),
): Promise<RollupReport> {
  const yesterday = addDays(localDate(now, timeZone), -1);
  const latest = await prisma.dashboardDay.findFirst({
    where: { shopId },
    orderBy: { day: "desc" },
    select: { day: true },
  });
  let from;
  if (latest) {
    from = addDays(parseIsoDate(latest.day.toISOString().slice(0, 10))!, -OVERLAP_DAYS);
  } else {
    const first = await prisma.ledgerEntry.findFirst({
      where: { shopId },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    from = first ? localDate(first.createdAt, timeZone) : yesterday;
  }
  const fromText = formatIsoDate(from);
  const toText = formatIsoDate(yesterday);
  if (fromText > toText) return { from: null, to: null };
  await prisma.$executeRawUnsafe(ROLL_UP_DAYS_SQL, shopId, timeZone, fromText, toText);
  return { from: fromText, to: toText };
}
