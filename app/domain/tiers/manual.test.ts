import { describe, expect, it } from "vitest";
import { assignTierManually, tierEntryBonusKey } from "./manual";
import { at, holding, NO_TIER, NOW, RULES } from "./test-fixtures";
import type { MemberTierState } from "./types";

const assign = (
  state: MemberTierState,
  tierId: string | null,
  lockedUntil: Date | null = null,
  granted: string[] = [],
) =>
  assignTierManually({
    state,
    rules: RULES,
    tierId,
    lockedUntil,
    bonusGrantedTierIds: granted,
    now: NOW,
  });

describe("assignTierManually", () => {
  it("starts a fresh period that lasts at least until the lock ends", () => {
    const short = assign(NO_TIER, "gold", at(30));
    expect(short.state).toEqual({
      tierId: "gold",
      enteredAt: NOW,
      expiresAt: at(365),
      lockedUntil: at(30),
      lockedTierId: "gold",
    });
    const long = assign(NO_TIER, "gold", at(500));
    expect(long.state.expiresAt).toEqual(at(500));
    expect(long.changes).toEqual([
      {
        change: "manual_assign",
        at: NOW,
        previousTierId: null,
        tierId: "gold",
        enteredAt: NOW,
        expiresAt: at(500),
        lockedUntil: at(500),
      },
    ]);
  });

  it("pays the entry bonus on an upward move only", () => {
    expect(assign(holding("silver", at(-5)), "gold").entryBonuses).toEqual([
      { tierId: "gold", points: 250 },
    ]);
    expect(assign(holding("platinum", at(-5)), "gold").entryBonuses).toEqual([]);
    expect(assign(holding("silver", at(-5)), "gold", null, ["gold"]).entryBonuses).toEqual([]);
  });

  it("keeps the entry date when re-assigning the same tier, and drops a lock in the past", () => {
    const result = assign(holding("gold", at(-100)), "gold", at(-1));
    expect(result.state).toMatchObject({
      enteredAt: at(-100),
      lockedUntil: null,
      lockedTierId: null,
    });
  });

  it("can remove the tier, and refuses a tier that does not exist", () => {
    expect(assign(holding("gold", at(-100)), null, at(50)).state).toEqual({
      ...NO_TIER,
      lockedTierId: null,
    });
    expect(() => assign(NO_TIER, "diamond")).toThrow(/unknown tier: diamond/);
  });

  it("builds one bonus key per member and tier", () => {
    expect(tierEntryBonusKey("m1", "gold")).toBe("tier:m1:gold:entry_bonus");
  });
});
