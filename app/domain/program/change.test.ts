import { describe, expect, it } from "vitest";
import type { ConfigArea } from "./change";
import { CONFIG_AREAS, describeConfigChange } from "./change";
import type { ProgramConfig } from "./config";
import { ProgramConfigSchema } from "./config";

const base: ProgramConfig = ProgramConfigSchema.parse({
  tiers: [{ id: "silver", name: "Silver", threshold: { kind: "spend_365d", minor: 50_000 } }],
});

// One realistic edit per area; each must be reported as exactly that area.
const edits: Record<ConfigArea, (config: ProgramConfig) => ProgramConfig> = {
  earning: (c) => ({ ...c, earning: { ...c.earning, excludedProductIds: ["p1"] } }),
  bonuses: (c) => ({ ...c, bonuses: { ...c.bonuses, birthdayPoints: 100 } }),
  pending: (c) => ({ ...c, pending: { days: 14 } }),
  expiry: (c) => ({ ...c, expiry: { kind: "inactivity", days: 365, reminderDaysBefore: 0 } }),
  tiers: (c) => ({ ...c, tiers: c.tiers.map((t) => ({ ...t, earnMultiplier: 1.5 })) }),
  refunds: (c) => ({ ...c, refunds: { allowNegativeBalance: true } }),
  storeCredit: (c) => ({ ...c, storeCredit: { ...c.storeCredit, cashbackBasisPoints: 300 } }),
};

describe("describeConfigChange", () => {
  it("reports nothing for an equal config, even a separately parsed copy", () => {
    expect(describeConfigChange(base, ProgramConfigSchema.parse(structuredClone(base)))).toEqual(
      [],
    );
  });

  it.each(CONFIG_AREAS)("detects a change to %s", (area) => {
    expect(describeConfigChange(base, edits[area](base))).toEqual([area]);
    expect(describeConfigChange(edits[area](base), base)).toEqual([area]);
  });

  it("lists several areas in a fixed order", () => {
    const after = edits.expiry(edits.tiers(edits.earning(base)));
    expect(describeConfigChange(base, after)).toEqual(["earning", "expiry", "tiers"]);
  });

  it("counts the tier period and a tier reorder as tier changes", () => {
    expect(describeConfigChange(base, { ...base, tierRules: { periodDays: 180 } })).toEqual([
      "tiers",
    ]);
    const twoTiers = ProgramConfigSchema.parse({
      tiers: [
        { id: "a", name: "A", threshold: { kind: "lifetime_points", points: 1 } },
        { id: "b", name: "B", threshold: { kind: "lifetime_points", points: 2 } },
      ],
    });
    const renamed = {
      ...twoTiers,
      tiers: twoTiers.tiers.map((t) => ({ ...t, name: `${t.name}!` })),
    };
    expect(describeConfigChange(twoTiers, renamed)).toEqual(["tiers"]);
  });

  it("counts goals and custom actions as bonus changes (the same Settings page)", () => {
    const review = { name: "Leave a review", points: 10, limit: null, period: "ever" as const };
    expect(describeConfigChange(base, { ...base, customActions: [review] })).toEqual(["bonuses"]);
  });

  it("treats an absent optional field like an undefined one", () => {
    const tiers = base.tiers.map((t) => ({ ...t, maintainMinor: undefined }));
    expect(describeConfigChange(base, { ...base, tiers })).toEqual([]);
  });
});
