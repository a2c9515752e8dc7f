import { z } from "zod";
import { compareLocalDates, parseIsoDate, type LocalDate } from "../calendar";

// A batch of claim codes as the merchant asks for it (issue #23): a name, the points each code is
// worth, how many codes, and an optional last day they work on.

export const MAX_CODE_POINTS = 100_000;
export const MAX_BATCH_CODES = 10_000;

/** Copy keys the admin translates (app/locales); the domain names them, the admin words them. */
export type BatchFieldError =
  | "claimCodes.error.name"
  | "claimCodes.error.points"
  | "claimCodes.error.count"
  | "claimCodes.error.expiresOn"
  | "claimCodes.error.expiresOnPast";

export interface BatchRequest {
  name: string;
  points: number;
  count: number;
  /** The last day the codes work, in the shop's calendar; null: they never expire. */
  expiresOn: LocalDate | null;
}

const wholeNumber = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,7}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

/**
 * Reads the form: every field's problem at once, as copy keys. The expiry date must be after
 * `today` (the shop's local day): a code that expires today could be printed already dead.
 */
export function parseBatchRequest(
  form: { name: string; points: string; count: string; expiresOn: string },
  today: LocalDate,
): { ok: true; batch: BatchRequest } | { ok: false; errors: Record<string, BatchFieldError> } {
  const errors: Record<string, BatchFieldError> = {};
  const name = form.name.trim();
  if (name.length < 1 || name.length > 100) errors.name = "claimCodes.error.name";
  const points = wholeNumber(MAX_CODE_POINTS).safeParse(form.points);
  if (!points.success) errors.points = "claimCodes.error.points";
  const count = wholeNumber(MAX_BATCH_CODES).safeParse(form.count);
  if (!count.success) errors.count = "claimCodes.error.count";
  let expiresOn: LocalDate | null = null;
  if (form.expiresOn.trim() !== "") {
    expiresOn = parseIsoDate(form.expiresOn.trim());
    if (!expiresOn) errors.expiresOn = "claimCodes.error.expiresOn";
    else if (compareLocalDates(expiresOn, today) <= 0) {
      errors.expiresOn = "claimCodes.error.expiresOnPast";
    }
  }
  if (Object.keys(errors).length > 0 || !points.success || !count.success) {
    return { ok: false, errors };
  }
  return { ok: true, batch: { name, points: points.data, count: count.data, expiresOn } };
}
