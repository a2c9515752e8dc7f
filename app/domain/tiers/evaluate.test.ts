import { describe, expect, it } from "vitest";
import { evaluateTier } from "./evaluate";
import { at, DAY, holding, NO_TIER, NOW, RULES, spend } from "./test-fixtures";
import type { MemberTierState, SpendRecord, TierRule } from "./types";

function evaluate(
  state: MemberTierState,
  records: SpendRecord[],
  options: { now?: Date; granted?: string[]; rules?: readonly TierRule[]; points?: number } = {},
) {
  return evaluateTier({
    state,
    rules: options.rules ?? RULES,
    metrics: { spend: records, lifetimePoints: options.points ?? 0 },
    bonusGrantedTierIds: options.granted ?? [],
    now: options.now ?? NOW,
  });
}

describe("evaluateTier: entering tiers", () => {
  it("places a member without a tier as soon as the spend qualifies", () => {
    // GIVEN $600 spent last week WHEN evaluated THEN Silver, with a 365-day period and its bonus
    const result = evaluate(NO_TIER, [spend(-7, 60_000)]);
    expect(result.changes).toEqual([
      {
        change: "spending_assign",
        at: NOW,
        previousTierId: null,
        tierId: "silver",
        enteredAt: NOW,
        expiresAt: at(365),
        lockedUntil: null,
      },
    ]);
    expect(result.entryBonuses).toEqual([{ tierId: "silver", points: 100 }]);
  });

  it("upgrades straight to the highest qualifying tier and pays only that tier's bonus", () => {
    const result = evaluate(holding("silver", at(-30)), [spend(-40, 60_000), spend(0, 200_000)]);
    expect(result.changes.map((c) => [c.change, c.previousTierId, c.tierId])).toEqual([
      ["spending_upgrade", "silver", "platinum"],
    ]);
    expect(result.state).toMatchObject({ tierId: "platinum", enteredAt: NOW, expiresAt: at(365) });
    expect(result.entryBonuses).toEqual([{ tierId: "platinum", points: 500 }]);
  });

  it("does not pay a bonus that was already granted", () => {
    const result = evaluate(NO_TIER, [spend(-1, 120_000)], { granted: ["gold"] });
    expect(result.state.tierId).toBe("gold");
    expect(result.entryBonuses).toEqual([]);
  });

  it("nets refunds against spend", () => {
    const result = evaluate(NO_TIER, [spend(-20, 60_000), spend(-2, -15_000)]);
    expect(result.changes).toEqual([]);
  });

  it("counts spend in the 365 days ending now, excluding the instant 365 days ago", () => {
    expect(evaluate(NO_TIER, [spend(-365, 60_000)]).state.tierId).toBeNull();
    expect(evaluate(NO_TIER, [spend(-365 + 1 / DAY, 60_000)]).state.tierId).toBe("silver");
    // spend recorded after `now` is not counted yet
    expect(evaluate(NO_TIER, [spend(1, 60_000)]).state.tierId).toBeNull();
  });

  it("changes nothing when evaluated again with its own result", () => {
    const records = [spend(-3, 130_000)];
    const first = evaluate(NO_TIER, records);
    const second = evaluate(first.state, records, { granted: ["gold"] });
    expect(second.changes).toEqual([]);
    expect(second.state).toEqual(first.state);
  });
});

describe("evaluateTier: period reviews", () => {
  it("extends a tier whose maintain bar is met at the period end", () => {
    // GIVEN Gold since 365 days + 1 hour ago AND $850 spent (below entry, above maintain)
    const state = holding("gold", at(-365 - 1 / 24));
    const result = evaluate(state, [spend(-100, 85_000)]);
    expect(result.changes).toEqual([
      {
        change: "spending_extend",
        at: state.expiresAt,
        previousTierId: "gold",
        tierId: "gold",
        enteredAt: state.enteredAt,
        expiresAt: at(365 - 1 / 24),
        lockedUntil: null,
      },
    ]);
  });

  it("keeps the tier until the period ends, whatever the spend", () => {
    const result = evaluate(holding("platinum", at(-300)), []);
    expect(result.changes).toEqual([]);
    expect(result.state.tierId).toBe("platinum");
  });

  it("downgrades to the highest tier whose maintain bar is met", () => {
    // $450: misses Platinum (no maintain bar, so its entry bar $2,500) and Gold's $800 maintain
    // bar but meets Silver's $400 maintain bar although it is below Silver's $500 entry bar.
    const result = evaluate(holding("platinum", at(-366)), [spend(-50, 45_000)]);
    expect(result.changes.map((c) => [c.change, c.previousTierId, c.tierId])).toEqual([
      ["spending_downgrade", "platinum", "silver"],
    ]);
    expect(result.state).toMatchObject({ enteredAt: at(-1), expiresAt: at(364) });
    expect(result.entryBonuses).toEqual([]);
  });

  it("drops the tier entirely when no bar is met", () => {
    const result = evaluate(holding("silver", at(-366)), [spend(-50, 10_000)]);
    expect(result.changes.map((c) => c.change)).toEqual(["spending_downgrade"]);
    expect(result.state).toMatchObject({ tierId: null, enteredAt: null, expiresAt: null });
  });

  it("measures a review over the 365 days ending at the period end, not at now", () => {
    // GIVEN the period ended 10 days ago and the qualifying order was 370 days ago (inside the
    // window ending at the period end, outside the one ending now) WHEN the job runs late
    const result = evaluate(holding("gold", at(-375)), [spend(-370, 85_000)]);
    // THEN the tier is extended, as it would have been on time
    expect(result.changes.map((c) => c.change)).toEqual(["spending_extend"]);
  });

  it("reviews every period that ended since the last evaluation, in order", () => {
    // Gold expired 400 days ago: extended then (spend 500 days ago), then dropped 35 days ago.
    const state: MemberTierState = { ...holding("gold", at(-765)) };
    const result = evaluate(state, [spend(-500, 90_000)]);
    expect(result.changes.map((c) => [c.change, c.at])).toEqual([
      ["spending_extend", at(-400)],
      ["spending_downgrade", at(-35)],
    ]);
    expect(result.state.tierId).toBeNull();
  });

  it("re-enters after a downgrade without paying the bonus again when already granted", () => {
    const result = evaluate(holding("silver", at(-366)), [spend(-1, 130_000)], {
      granted: ["silver", "gold"],
    });
    expect(result.changes.map((c) => c.change)).toEqual(["spending_extend", "spending_upgrade"]);
    expect(result.entryBonuses).toEqual([]);
  });
});

describe("evaluateTier: locks", () => {
  it("holds the locked tier past its period and reviews it when the lock ends", () => {
    const lockedUntil = at(30);
    const state: MemberTierState = {
      ...holding("gold", at(-366)),
      lockedUntil,
      lockedTierId: "gold",
    };
    // WHEN reviewed during the lock with no spend THEN no downgrade, and the review moves to the
    // lock's end
    const during = evaluate(state, []);
    expect(during.changes).toEqual([]);
    expect(during.state).toMatchObject({ tierId: "gold", expiresAt: lockedUntil, lockedUntil });
    // WHEN evaluated just after the lock ends THEN the downgrade happens and the lock is cleared
    const after = evaluate(during.state, [], { now: new Date(lockedUntil.getTime() + 1) });
    expect(after.changes.map((c) => [c.change, c.at, c.tierId])).toEqual([
      ["spending_downgrade", lockedUntil, null],
    ]);
    expect(after.state).toMatchObject({ lockedUntil: null, lockedTierId: null });
  });

  it("lets spending upgrade a locked member but never drops them below the locked tier", () => {
    const lockedUntil = at(500);
    const locked: MemberTierState = {
      ...holding("silver", at(-10)),
      lockedUntil,
      lockedTierId: "silver",
    };
    const up = evaluate(locked, [spend(-1, 260_000)]);
    expect(up.state.tierId).toBe("platinum");
    // a year later the Platinum period ends with no spend: the fall stops at Silver
    const later = at(366);
    const down = evaluate(up.state, [spend(-1, 260_000)], { now: later });
    expect(down.changes.map((c) => [c.change, c.tierId, c.lockedUntil])).toEqual([
      ["spending_downgrade", "silver", lockedUntil],
    ]);
  });

  it("without a locked tier id, protects whichever tier the member holds", () => {
    const state: MemberTierState = { ...holding("gold", at(-366)), lockedUntil: at(10) };
    expect(evaluate(state, []).state).toMatchObject({ tierId: "gold", expiresAt: at(10) });
  });
});

describe("evaluateTier: lifetime points and removed tiers", () => {
  const POINT_RULES: readonly TierRule[] = [
    {
      id: "fan",
      name: "Fan",
      threshold: { kind: "lifetime_points", points: 1_000 },
      earnMultiplier: 1,
      entryBonusPoints: 0,
    },
    {
      id: "hero",
      name: "Hero",
      threshold: { kind: "lifetime_points", points: 5_000 },
      maintainPoints: 4_000,
      earnMultiplier: 1.25,
      entryBonusPoints: 50,
    },
  ];

  it("uses lifetime earned points and reports no bonus for a zero-point tier", () => {
    const result = evaluate(NO_TIER, [], { rules: POINT_RULES, points: 1_200 });
    expect(result.state.tierId).toBe("fan");
    expect(result.entryBonuses).toEqual([]);
    const hero = evaluate(NO_TIER, [], { rules: POINT_RULES, points: 5_000 });
    expect(hero.entryBonuses).toEqual([{ tierId: "hero", points: 50 }]);
  });

  it("treats a tier that is no longer configured as no tier", () => {
    const orphan = holding("diamond", at(-10));
    expect(evaluate(orphan, [spend(-1, 60_000)]).changes).toMatchObject([
      { change: "spending_assign", previousTierId: "diamond", tierId: "silver" },
    ]);
    expect(evaluate(orphan, []).changes).toMatchObject([
      { change: "spending_downgrade", previousTierId: "diamond", tierId: null },
    ]);
  });
});

describe("evaluateTier: period length", () => {
  it("uses the configured period length", () => {
    const result = evaluateTier({
      state: NO_TIER,
      rules: RULES,
      metrics: { spend: [spend(-1, 60_000)], lifetimePoints: 0 },
      bonusGrantedTierIds: [],
      now: NOW,
      periodDays: 90,
    });
    expect(result.state.expiresAt).toEqual(at(90));
    expect(() =>
      evaluateTier({
        ...result,
        rules: RULES,
        metrics: { spend: [], lifetimePoints: 0 },
        bonusGrantedTierIds: [],
        now: NOW,
        periodDays: 0,
      }),
    ).toThrow(RangeError);
  });
});
