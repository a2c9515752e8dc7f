import { describe, expect, it } from "vitest";
import { earnMultiplierFor, nextTierProgress, spendInWindow } from "./measure";
import { tierRuleIssues } from "./rules";
import { at, NOW, RULES, spend } from "./test-fixtures";
import type { TierRule } from "./types";

describe("spendInWindow", () => {
  it("sums the 365 days ending at the given instant and never goes negative", () => {
    const records = [spend(-400, 10_000), spend(-200, 5_000), spend(-1, -8_000), spend(0, 1_000)];
    expect(spendInWindow(records, NOW)).toBe(0); // 5,000 - 8,000 + 1,000 floors at zero
    expect(spendInWindow(records, at(-100))).toBe(15_000);
  });
});

describe("nextTierProgress", () => {
  const metrics = (minor: number) => ({ spend: [spend(-3, minor)], lifetimePoints: 0 });

  it("names the next tier and the spend still missing", () => {
    expect(nextTierProgress(RULES, "silver", metrics(70_000), NOW)).toMatchObject({
      tier: { id: "gold" },
      remaining: { kind: "spend_365d", minor: 30_000 },
    });
    expect(nextTierProgress(RULES, null, metrics(0), NOW)?.tier.id).toBe("silver");
    expect(nextTierProgress(RULES, "platinum", metrics(0), NOW)).toBeNull();
  });
});

describe("earnMultiplierFor", () => {
  it("uses the tier's multiplier and 1 without a configured tier", () => {
    expect(earnMultiplierFor(RULES, "gold")).toBe(1.5);
    expect(earnMultiplierFor(RULES, null)).toBe(1);
    expect(earnMultiplierFor(RULES, "diamond")).toBe(1);
  });
});

describe("tierRuleIssues", () => {
  it("accepts the sample program", () => {
    expect(tierRuleIssues(RULES)).toEqual([]);
  });

  it("names each problem", () => {
    const broken: TierRule[] = [
      { ...RULES[1]!, maintainMinor: 200_000 },
      { ...RULES[0]!, id: "gold", maintainPoints: 5, earnMultiplier: 0, entryBonusPoints: 1.5 },
    ];
    expect(tierRuleIssues(broken)).toEqual([
      'tier "gold": maintain threshold must be a non-negative integer not above entry',
      'tier "gold": duplicate id',
      'tier "gold": threshold is lower than the tier before it',
      'tier "gold": maintain threshold in the wrong unit',
      'tier "gold": earn multiplier must be positive',
      'tier "gold": entry bonus must be a non-negative integer',
    ]);
  });
});
