import { z } from "zod";

/**
 * The member page's three forms. Each field's message is a key of app/locales/en.json, so the
 * page shows it next to the field; the services check the same facts again (tiers, birthdays).
 */
/** The most points one adjustment moves: a typo of a few zeros is refused, not posted. */
export const MAX_ADJUSTMENT = 1_000_000;

/** "1,000", "−50" (a typographic minus), "+ 20" read as the merchant meant them. */
function normalisePoints(raw: string): string {
  return raw.replace(/[\s,_]/g, "").replace(/^[\u2212\u2013]/, "-");
}

export const AdjustPointsForm = z.object({
  intent: z.literal("adjust"),
  points: z
    .string()
    .transform(normalisePoints)
    .refine((raw) => raw !== "", "members.errors.pointsMissing")
    .refine((raw) => raw === "" || /^[+-]?\d+$/.test(raw), "members.errors.pointsWhole")
    .transform(Number)
    .refine((points) => !Number.isInteger(points) || points !== 0, "members.errors.pointsZero")
    .refine(
      (points) => !Number.isInteger(points) || Math.abs(points) <= MAX_ADJUSTMENT,
      "members.errors.pointsTooMany",
    ),
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
    .refine((value) => value === "" || isCalendarDate(value), "members.errors.dateInvalid")
    // Keeping a tier "through" a day already gone would keep nothing.
    .refine((value) => value === "" || value > todayIso(), "members.errors.lockInPast")
    .transform((value) => value || null),
});

export const SetBirthdayForm = z
  .object({
    intent: z.literal("birthday"),
    month: z.coerce.number<string>().int().min(1, "members.errors.monthRequired").max(12),
    day: z.coerce.number<string>().int().min(1, "members.errors.dayRequired").max(31),
    year: z
      .string()
      .trim()
      .regex(/^(\d{4})?$/, "members.errors.yearInvalid")
      .transform((value) => (value ? Number(value) : undefined))
      // Nobody is born in the future or before 1900: a typo, kept out of birthday rewards.
      .refine(
        (year) => year === undefined || year <= new Date().getUTCFullYear(),
        "members.errors.yearFuture",
      )
      .refine((year) => year === undefined || year >= 1900, "members.errors.yearInvalid"),
  })
  .superRefine((form, ctx) => {
    // 29 February is a birthday without a year, or in a leap year; 31 April never is.
    const leap = form.year === undefined || isLeapYear(form.year);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][form.month - 1];
    if (days !== undefined && form.day > days) {
      ctx.addIssue({ code: "custom", path: ["day"], message: "members.errors.dayNotInMonth" });
    }
    const today = todayIso();
    if (form.year !== undefined) {
      const birthday = `${form.year}-${pad(form.month)}-${pad(form.day)}`;
      if (birthday > today) {
        ctx.addIssue({ code: "custom", path: ["year"], message: "members.errors.yearFuture" });
      }
    }
  });

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function pad(n: number) {
  return String(n).padStart(2, "0");
}

function isLeapYear(year: number) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function isCalendarDate(iso: string) {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/** A reward redeemed by staff for the member; points only for a pay-with-points reward. */
export const RedeemForMemberForm = z.object({
  intent: z.literal("redeem"),
  reward: z.string().trim().min(1, "members.errors.rewardRequired"),
  points: z
    .string()
    .optional()
    .transform((raw) => (raw ? normalisePoints(raw) : ""))
    .refine((raw) => raw === "" || /^\d+$/.test(raw), "members.errors.redeemPoints")
    .transform((raw) => (raw === "" ? null : Number(raw))),
  formToken: z.uuid("members.errors.formExpired"),
});

/** The most store credit one form moves (shop currency units): a slip of a few zeros is refused. */
export const MAX_STORE_CREDIT = 10_000;

/** Staff issue or take store credit (source manual), in the shop's currency. */
export const StoreCreditForm = z.object({
  intent: z.literal("storeCredit"),
  direction: z.enum(["credit", "debit"], "members.errors.creditDirection"),
  amount: z
    .string()
    .transform((raw) => raw.replace(/[\s_]/g, "").replace(",", "."))
    .refine((raw) => raw !== "", "members.errors.creditMissing")
    .refine((raw) => raw === "" || /^\d+(\.\d{1,3})?$/.test(raw), "members.errors.creditAmount")
    .refine((raw) => raw === "" || Number(raw) > 0, "members.errors.creditAmount")
    .refine((raw) => raw === "" || Number(raw) <= MAX_STORE_CREDIT, "members.errors.creditTooMuch"),
  expiresOn: z
    .string()
    .optional()
    .transform((value) => value ?? "")
    .refine((value) => value === "" || isCalendarDate(value), "members.errors.dateInvalid")
    .refine((value) => value === "" || value > todayIso(), "members.errors.expiryInPast")
    .transform((value) => value || null),
  note: z.string().trim().min(1, "members.errors.noteRequired").max(500, "members.errors.noteLong"),
  formToken: z.uuid("members.errors.formExpired"),
});

/** Staff withdraw an unused reward: its code stops working and its points come back. */
export const VoidRewardForm = z.object({
  intent: z.literal("void"),
  redemption: z.uuid("members.errors.rewardRequired"),
});

/** Staff gave a custom reward by hand (gift wrap): it becomes used, with no order. */
export const FulfilRewardForm = z.object({
  intent: z.literal("fulfil"),
  redemption: z.uuid("members.errors.rewardRequired"),
});

export const MemberForm = z.discriminatedUnion("intent", [
  AdjustPointsForm,
  SetTierForm,
  SetBirthdayForm,
  RedeemForMemberForm,
  VoidRewardForm,
  FulfilRewardForm,
  StoreCreditForm,
]);
export type MemberFormInput = z.infer<typeof MemberForm>;
export type MemberFormIntent = MemberFormInput["intent"];
export const MEMBER_FORM_INTENTS: readonly MemberFormIntent[] = [
  "adjust",
  "tier",
  "birthday",
  "redeem",
  "void",
  "fulfil",
  "storeCredit",
];
