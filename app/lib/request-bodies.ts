import { z } from "zod";

/**
 * Chosen by the caller per click or tap (storefront widget, customer account, POS), so a resent
 * request (double click, network retry) takes effect once.
 */
export const requestIdField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,100}$/, "request_id: 8–100 letters, digits, - or _");

/** What every redeem request names: the reward, pay-with-points' points, the click's id. */
export const redeemFields = {
  reward: z.string().min(1).max(60),
  /** Pay-with-points only. Strings from forms are converted; fractions are refused later. */
  points: z.coerce.number().optional(),
  request_id: requestIdField,
};

/** A birthday as a form sends it (strings); setBirthday's schema checks the date itself. */
export const BirthdayBody = z.strictObject({
  month: z.coerce.number().int(),
  day: z.coerce.number().int(),
  year: z
    .union([z.literal(""), z.coerce.number().int()])
    .optional()
    .transform((year) => (year === "" ? undefined : year)),
});
