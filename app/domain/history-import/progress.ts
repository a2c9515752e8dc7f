/**
 * How far a history import is, for its progress bar: the lines of Shopify's two result files
 * applied out of their total, and the time left at the pace applying has kept so far. Pure.
 */
export interface ImportProgressInput {
  state: string;
  customerLinesDone: number;
  customerLinesTotal: number | null;
  orderLinesDone: number;
  orderLinesTotal: number | null;
  /** Customers whose orders were valued after both files, out of the customers imported. */
  customersValued: number;
  customers: number;
  /** When applying began (null: Shopify is still preparing the files). */
  applyingAt: Date | null;
}

export interface ImportProgress {
  /** 0–100. */
  percent: number;
  /** Seconds left at the pace so far; null when there is no pace to go by yet. */
  secondsLeft: number | null;
  phase: "waiting" | "preparing" | "applying" | "finished";
}

const FINISHED = new Set(["done", "failed", "stopped"]);

export function importProgress(run: ImportProgressInput, now: Date): ImportProgress {
  if (FINISHED.has(run.state)) {
    return {
      percent: run.state === "done" ? 100 : percentOf(run),
      secondsLeft: 0,
      phase: "finished",
    };
  }
  if (run.state === "queued") return { percent: 0, secondsLeft: null, phase: "waiting" };
  if (run.state === "fetching" || run.applyingAt === null) {
    return { percent: 0, secondsLeft: null, phase: "preparing" };
  }
  const total = totalOf(run);
  const done = doneOf(run);
  const elapsed = (now.getTime() - run.applyingAt.getTime()) / 1000;
  const secondsLeft =
    done > 0 && elapsed > 0 ? Math.max(0, Math.round(((total - done) * elapsed) / done)) : null;
  return { percent: percentOf(run), secondsLeft, phase: "applying" };
}

// The work: every line of both files, then every customer valued (at most one per customer).
const totalOf = (run: ImportProgressInput) =>
  (run.customerLinesTotal ?? 0) + (run.orderLinesTotal ?? 0) + run.customers;
const doneOf = (run: ImportProgressInput) =>
  run.customerLinesDone + run.orderLinesDone + Math.min(run.customersValued, run.customers);

function percentOf(run: ImportProgressInput) {
  const total = totalOf(run);
  if (total === 0) return 0;
  return Math.floor((Math.min(total, doneOf(run)) / total) * 100);
}

/** "about 3 minutes", "less than a minute": what a merchant reads next to the bar. */
export function describeTimeLeft(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return `about ${hours} hour${hours === 1 ? "" : "s"}`;
}
