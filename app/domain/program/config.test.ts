import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProgramConfigInput } from "./config";
import { CONFIG_VERSION, DEFAULT_PROGRAM_CONFIG, ProgramConfigSchema } from "./config";
import { hasAtMostTwoDecimals, toHundredths } from "./decimal";

const tier = (id: string, minor: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: id.toUpperCase(),
  threshold: { kind: "spend_365d", minor },
  ...extra,
});

function issuesOf(input: unknown) {
  const result = ProgramConfigSchema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path,
    message: issue.message,
  }));
}

describe("ProgramConfigSchema", () => {
  it("gives a working program from {}", () => {
    expect(ProgramConfigSchema.parse({})).toEqual({
      version: CONFIG_VERSION,
      earning: {
        pointsPerUnit: 1,
        rounding: "down",
        includeShipping: false,
        includeTax: false,
        deductDiscounts: true,
        includeGiftCards: false,
        earnOn: "paid",
        excludedProductIds: [],
        excludedCollectionIds: [],
      },
      bonuses: {
        welcomePoints: 0,
        birthdayPoints: 0,
        anniversaryPoints: 0,
        newsletterPoints: 0,
        welcomeRewardHandle: null,
        birthdayRewardHandle: null,
        tierEntryRewardHandle: null,
        social: {
          instagram: { url: "", points: 0 },
          tiktok: { url: "", points: 0 },
          facebook: { url: "", points: 0 },
          x: { url: "", points: 0 },
        },
      },
      pending: { days: 0 },
      expiry: { kind: "none" },
      tiers: [],
      tierRules: { periodDays: 365 },
      goals: [],
      customActions: [],
      refunds: { allowNegativeBalance: false },
      storeCredit: {
        enabled: false,
        cashbackBasisPoints: 0,
        minOrderMinor: 0,
        expiryDays: 0,
        reminderDaysBefore: 0,
      },
    });
    expect(DEFAULT_PROGRAM_CONFIG).toEqual(ProgramConfigSchema.parse({}));
  });

  it("refuses a cashback rate above 100% or a fractional one", () => {
    for (const cashbackBasisPoints of [10_001, 2.5, -1]) {
      expect(
        ProgramConfigSchema.safeParse({ storeCredit: { enabled: true, cashbackBasisPoints } })
          .success,
      ).toBe(false);
    }
  });

  it("fills defaults inside a partly given section", () => {
    const config = ProgramConfigSchema.parse({ earning: { pointsPerUnit: 5 } });
    expect(config.earning).toMatchObject({ pointsPerUnit: 5, rounding: "down" });
  });

  it("accepts three ordered tiers and defaults their multiplier and bonus", () => {
    const config = ProgramConfigSchema.parse({
      tiers: [
        tier("bronze", 0),
        tier("silver", 50_000, { earnMultiplier: 1.25, maintainMinor: 40_000 }),
        tier("gold", 100_000, { earnMultiplier: 1.5, entryBonusPoints: 500 }),
      ],
    });
    expect(config.tiers.map((t) => [t.id, t.earnMultiplier, t.entryBonusPoints])).toEqual([
      ["bronze", 1, 0],
      ["silver", 1.25, 0],
      ["gold", 1.5, 500],
    ]);
  });

  it("rejects tiers out of order, with the path of the offending tier", () => {
    expect(issuesOf({ tiers: [tier("gold", 100_000), tier("silver", 50_000)] })).toEqual([
      {
        path: ["tiers", 1, "threshold"],
        message: "validation.tier.notAscending",
      },
    ]);
    // Equal is not "strictly increasing" either.
    expect(issuesOf({ tiers: [tier("a", 10), tier("b", 10)] })[0]?.path).toEqual([
      "tiers",
      1,
      "threshold",
    ]);
  });

  it("rejects repeated tier ids and mixed threshold kinds", () => {
    expect(issuesOf({ tiers: [tier("gold", 1), tier("gold", 2)] })).toEqual([
      { path: ["tiers", 1, "id"], message: "validation.tier.duplicateId" },
    ]);
    const mixed = issuesOf({
      tiers: [
        tier("a", 1),
        { id: "b", name: "B", threshold: { kind: "lifetime_points", points: 5 } },
      ],
    });
    expect(mixed[0]?.path).toEqual(["tiers", 1, "threshold", "kind"]);
  });

  it("takes custom actions priced in Settings: no limit by default, 0 points is off", () => {
    const config = ProgramConfigSchema.parse({
      customActions: [
        { name: "  Leave a product review ", points: 50, limit: 3, period: "month" },
        { name: "Answer the survey", points: 0 },
      ],
    });
    expect(config.customActions).toEqual([
      { name: "Leave a product review", points: 50, limit: 3, period: "month" },
      { name: "Answer the survey", points: 0, limit: null, period: "ever" },
    ]);
  });

  it("rejects a custom action named like another (case and spaces aside) and bad numbers", () => {
    const review = { name: "Leave a review", points: 10 };
    expect(issuesOf({ customActions: [review, { ...review, name: " leave a  REVIEW" }] })).toEqual([
      { path: ["customActions", 1, "name"], message: "validation.customAction.duplicateName" },
    ]);
    expect(issuesOf({ customActions: [{ ...review, name: "  " }] })[0]).toEqual({
      path: ["customActions", 0, "name"],
      message: "validation.customAction.name",
    });
    expect(issuesOf({ customActions: [{ ...review, points: -1 }] })[0]?.path).toEqual([
      "customActions",
      0,
      "points",
    ]);
    expect(issuesOf({ customActions: [{ ...review, limit: 0 }] })[0]?.path).toEqual([
      "customActions",
      0,
      "limit",
    ]);
    expect(issuesOf({ customActions: [{ ...review, period: "fortnight" }] })[0]?.path).toEqual([
      "customActions",
      0,
      "period",
    ]);
  });

  it("rejects maintain thresholds that do not fit the entry threshold", () => {
    expect(issuesOf({ tiers: [tier("a", 100, { maintainMinor: 101 })] })[0]?.path).toEqual([
      "tiers",
      0,
      "maintainMinor",
    ]);
    expect(issuesOf({ tiers: [tier("a", 100, { maintainPoints: 5 })] })[0]?.path).toEqual([
      "tiers",
      0,
      "maintainPoints",
    ]);
  });

  it.each([
    ["a multiplier below 1", { earnMultiplier: 0.9 }, "earnMultiplier"],
    ["a multiplier above 10", { earnMultiplier: 10.5 }, "earnMultiplier"],
    ["three decimals", { earnMultiplier: 1.255 }, "earnMultiplier"],
    ["a non-slug id", { id: "Gold Tier" }, "id"],
  ])("rejects a tier with %s", (_, extra, field) => {
    expect(issuesOf({ tiers: [tier("gold", 1, extra)] })[0]?.path).toEqual(["tiers", 0, field]);
  });

  it("rejects unknown keys at every level", () => {
    expect(issuesOf({ pointz: 1 })[0]).toMatchObject({ path: [] });
    expect(issuesOf({ earning: { pointsPerDollar: 1 } })[0]?.path).toEqual(["earning"]);
    expect(issuesOf({ tiers: [tier("a", 1, { colour: "gold" })] })[0]?.path).toEqual(["tiers", 0]);
    expect(issuesOf({ expiry: { kind: "none", days: 30 } })[0]?.path).toEqual(["expiry"]);
  });

  it("validates expiry: a reminder must come before the expiry", () => {
    const config = ProgramConfigSchema.parse({
      expiry: { kind: "per_lot", days: 365, reminderDaysBefore: 30 },
    });
    expect(config.expiry).toEqual({ kind: "per_lot", days: 365, reminderDaysBefore: 30 });
    expect(
      issuesOf({ expiry: { kind: "inactivity", days: 30, reminderDaysBefore: 30 } })[0]?.path,
    ).toEqual(["expiry", "reminderDaysBefore"]);
    expect(issuesOf({ expiry: { kind: "per_lot", days: 0 } })[0]?.path).toEqual(["expiry", "days"]);
  });

  it("rejects fractional points and a future schema version", () => {
    expect(issuesOf({ bonuses: { welcomePoints: 1.5 } })[0]?.path).toEqual([
      "bonuses",
      "welcomePoints",
    ]);
    expect(issuesOf({ version: CONFIG_VERSION + 1 })[0]?.path).toEqual(["version"]);
  });

  it("parses its own output to the same value (stored JSON reads back unchanged)", () => {
    const inputArb = fc.record(
      {
        earning: fc.record(
          {
            pointsPerUnit: fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
            rounding: fc.constantFrom("down" as const, "nearest" as const, "up" as const),
            includeShipping: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        pending: fc.record({ days: fc.integer({ min: 0, max: 365 }) }),
        refunds: fc.record({ allowNegativeBalance: fc.boolean() }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(inputArb, (input: ProgramConfigInput) => {
        const once = ProgramConfigSchema.parse(input);
        expect(ProgramConfigSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
      }),
    );
  });
});

describe("two-decimal rates", () => {
  it("turns a two-decimal rate into exact hundredths", () => {
    expect([0.29, 1.15, 2.3, 10].map(toHundredths)).toEqual([29, 115, 230, 1000]);
    expect(hasAtMostTwoDecimals(1.255)).toBe(false);
    expect(() => toHundredths(0.001)).toThrow(RangeError);
  });
});
