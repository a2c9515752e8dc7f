import type { HistoryChoices } from "~/services/history-import/start.server";

/** The windows offered for points on past orders (days); "none" gives tiers only. */
export const POINTS_WINDOWS = [30, 90, 180, 365] as const;

/**
 * The merchant's choices as the history import form posts them: `points` is "none" or a number
 * of days, the two boxes are present when ticked. Null when `points` is neither (a tampered or
 * stale form): the page says so and starts nothing.
 */
export function historyChoicesFromForm(form: FormData): HistoryChoices | null {
  const points = String(form.get("points") ?? "");
  const days = points === "none" ? null : Number(points);
  if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 730)) return null;
  return {
    pointsDays: days,
    storeCredit: form.get("storeCredit") === "on",
    fireFlows: form.get("fireFlows") === "on",
  };
}
