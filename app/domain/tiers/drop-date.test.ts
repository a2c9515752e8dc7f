import { describe, expect, it } from "vitest";
import { tierDropDate } from "./drop-date";
import { at, holding, NOW, RULES, spend } from "./test-fixtures";
import type { TierRule } from "./types";

const program = { from: null, rules: RULES, periodDays: 365 };
const dropOf = (
  state: ReturnType<typeof holding>,
  records: ReturnType<typeof spend>[],
  rules: readonly TierRule[] = RULES,
) =>
  tierDropDate({
    state,
    program: { ...program, rules },
    metrics: { spend: records, lifetimePoints: 0 },
    now: NOW,
  });

describe("tierDropDate: when the tier ends if nothing changes", () => {
  it("is the period end when the spend in the window at that end misses the keep bar", () => {
    // Gold entered 200 days ago with $1,000 then; at the period end that order has left the window.
    const gold = holding("gold", at(-200));
    expect(dropOf(gold, [spend(-200, 100_000)])).toEqual(gold.expiresAt);
  });

  it("is a period later when the member already meets the keep bar at the period end", () => {
    // $900 bought 10 days ago: still in the window at the end (165 days away), gone a year later.
    const gold = holding("gold", at(-200));
    const drop = dropOf(gold, [spend(-200, 100_000), spend(-10, 90_000)]);
    expect(drop).toEqual(at(365, gold.expiresAt!));
  });

  it("is null when the tier is kept whatever happens (a points tier) or has no end", () => {
    const points: TierRule[] = [
      {
        ...RULES[0]!,
        threshold: { kind: "lifetime_points", points: 100 },
        maintainMinor: undefined,
      },
    ];
    const silver = holding("silver", at(-30));
    expect(
      tierDropDate({
        state: silver,
        program: { ...program, rules: points },
        metrics: { spend: [], lifetimePoints: 500 },
        now: NOW,
      }),
    ).toBeNull();
    expect(dropOf({ ...silver, expiresAt: null }, [])).toBeNull();
    expect(dropOf({ ...silver, tierId: null }, [])).toBeNull();
  });

  it("waits for a lock: a locked member drops at the review after the lock ends", () => {
    const gold = { ...holding("gold", at(-300)), lockedUntil: at(200), lockedTierId: "gold" };
    expect(dropOf(gold, [])).toEqual(at(200));
  });
});
