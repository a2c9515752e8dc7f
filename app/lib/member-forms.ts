import { z } from "zod";

/**
 * The member page's three forms. Each field's message is a key of app/locales/en.json, so the
 * page shows it next to the field; the services check the same facts again (tiers, birthdays).
 */
export const AdjustPointsForm = z.object({
  intent: z.literal("adjust"),
  points: z
    .string()
    .trim()
    .regex(/^[+-]?\d{1,9}$/, "members.errors.pointsWhole")
    .transform(Number)
    .refine((points) => points !== 0, "members.errors.pointsWhole"),
  note: z.string().trim().min(1, "members.errors.noteRequired").max(500, "members.errors.noteLong"),
  // One token per rendered form: a double submit or a resend after a timeout posts once.
  formToken: z.uuid("members.errors.formExpired"),
});

export const SetTierForm = z.object({
  intent: z.literal("tier"),
  tier: z.string().transform((value) => value || null),
  lockUntil: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, "members.errors.dateInvalid")
    .transform((value) => value || null),
});

export const SetBirthdayForm = z.object({
  intent: z.literal("birthday"),
  month: z.coerce.number<string>().int().min(1, "members.errors.monthRequired").max(12),
  day: z.coerce.number<string>().int().min(1, "members.errors.dayRequired").max(31),
  year: z
    .string()
    .trim()
    .regex(/^(\d{4})?$/, "members.errors.yearInvalid")
    .transform((value) => (value ? Number(value) : undefined)),
});

export const MemberForm = z.discriminatedUnion("intent", [
  AdjustPointsForm,
  SetTierForm,
  SetBirthdayForm,
]);
export type MemberFormInput = z.infer<typeof MemberForm>;
export type MemberFormIntent = MemberFormInput["intent"];
