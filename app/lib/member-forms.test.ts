import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdjustPointsForm, SetBirthdayForm, SetTierForm } from "./member-forms";

function firstMessage(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.success ? null : result.error!.issues[0]!.message;
}

const adjust = (points: string) =>
  AdjustPointsForm.safeParse({
    intent: "adjust",
    points,
    note: "goodwill",
    formToken: "8f14e45f-ceea-4e67-9d3b-8a1c1e6d6b10",
  });

describe("member page forms say what is wrong", () => {
  it("reads points as a merchant types them", () => {
    expect(adjust("1,000").data?.points).toBe(1000);
    expect(adjust("−10").data?.points).toBe(-10);
    expect(adjust("-10").data?.points).toBe(-10);
    expect(adjust(" + 20 ").data?.points).toBe(20);
  });

  it("names each mistake in the points field", () => {
    expect(firstMessage(adjust(""))).toBe("members.errors.pointsMissing");
    expect(firstMessage(adjust("1.5"))).toBe("members.errors.pointsWhole");
    expect(firstMessage(adjust("ten"))).toBe("members.errors.pointsWhole");
    expect(firstMessage(adjust("0"))).toBe("members.errors.pointsZero");
    expect(firstMessage(adjust("1000000000"))).toBe("members.errors.pointsTooMany");
    expect(adjust("1000000").success).toBe(true);
  });

  it("refuses a keep-tier date that has passed, and a birthday in the future", () => {
    const lock = (lockUntil: string) =>
      SetTierForm.safeParse({ intent: "tier", tier: "gold", lockUntil });
    expect(firstMessage(lock("2020-01-31"))).toBe("members.errors.lockInPast");
    expect(firstMessage(lock("2099-02-30"))).toBe("members.errors.dateInvalid");
    expect(lock("2099-01-31").success).toBe(true);
    expect(lock("").success).toBe(true);

    const birthday = (month: string, day: string, year: string) =>
      SetBirthdayForm.safeParse({ intent: "birthday", month, day, year });
    expect(firstMessage(birthday("5", "4", "2030"))).toBe("members.errors.yearFuture");
    expect(firstMessage(birthday("4", "31", ""))).toBe("members.errors.dayNotInMonth");
    expect(firstMessage(birthday("2", "29", "2023"))).toBe("members.errors.dayNotInMonth");
    expect(birthday("2", "29", "").success).toBe(true);
    expect(birthday("2", "29", "2000").success).toBe(true);
  });
});

describe("member form dates, for any input", () => {
  const today = () => new Date().toISOString().slice(0, 10);
  const isRealDate = (iso: string) => {
    const date = new Date(`${iso}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
  };
  const dateLike = fc.oneof(
    fc
      .record({
        y: fc.integer({ min: 1800, max: 2200 }),
        m: fc.integer({ min: 0, max: 13 }),
        d: fc.integer({ min: 0, max: 32 }),
      })
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
    fc.string({ maxLength: 12 }),
  );

  it("keeps a tier only through a real day after today", () => {
    fc.assert(
      fc.property(dateLike, (lockUntil) => {
        const parsed = SetTierForm.safeParse({ intent: "tier", tier: "gold", lockUntil });
        const expected =
          lockUntil === "" ||
          (/^\d{4}-\d{2}-\d{2}$/.test(lockUntil) && isRealDate(lockUntil) && lockUntil > today());
        expect(parsed.success).toBe(expected);
      }),
    );
  });

  it("takes a birthday only on a day that exists and has come", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.oneof(fc.constant(""), fc.integer({ min: 1800, max: 2200 }).map(String)),
        (month, day, year) => {
          const parsed = SetBirthdayForm.safeParse({
            intent: "birthday",
            month: String(month),
            day: String(day),
            year,
          });
          const iso = `${year || "2000"}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
          const expected =
            month >= 1 &&
            month <= 12 &&
            day >= 1 &&
            isRealDate(iso) &&
            (year === "" || (Number(year) >= 1900 && iso <= today()));
          expect(parsed.success).toBe(expected);
        },
      ),
    );
  });
});
