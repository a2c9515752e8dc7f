import type { ProgramConfig } from "./config";

export const CONFIG_AREAS = [
  "earning",
  "bonuses",
  "pending",
  "expiry",
  "tiers",
  "refunds",
  "storeCredit",
] as const;
export type ConfigArea = (typeof CONFIG_AREAS)[number];

// Each area lists the config keys it covers; `version` is deliberately in none, a schema bump
// alone changes no member's state.
const AREA_KEYS: Record<ConfigArea, readonly (keyof ProgramConfig)[]> = {
  earning: ["earning"],
  bonuses: ["bonuses", "goals", "customActions"],
  pending: ["pending"],
  expiry: ["expiry"],
  tiers: ["tiers", "tierRules"],
  refunds: ["refunds"],
  storeCredit: ["storeCredit"],
};

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameValue(item, b[index]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // An absent optional key and an explicit undefined mean the same config.
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    if (!sameValue(left[key], right[key])) return false;
  }
  return true;
}

/**
 * Which areas differ between two parsed configs, in CONFIG_AREAS order, so the caller can decide
 * what follows a save: "tiers" or "expiry" → recompute members; "earning" → nothing retroactive
 * (earn entries carry their own rule snapshot). Any reordering of tiers counts as a change, because
 * order is meaningful there; exclusion lists are compared in order too (a false "changed" only
 * records an audit entry, it never skips one).
 */
export function describeConfigChange(before: ProgramConfig, after: ProgramConfig): ConfigArea[] {
  return CONFIG_AREAS.filter((area) =>
    AREA_KEYS[area].some((key) => !sameValue(before[key], after[key])),
  );
}
