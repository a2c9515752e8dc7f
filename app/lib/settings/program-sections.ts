import {
  AdminEarningConfigSchema,
  ProgramConfigSchema,
  type ProgramConfig,
} from "~/domain/program";

/**
 * Which keys of the program config each program settings page edits. The page validates its draft
 * with ProgramConfigSchema.pick(keys) — the very schema the server parses the whole config with —
 * so a client-side error and a server-side error carry the same path ("earning.pointsPerUnit").
 */
export const PROGRAM_SECTION_KEYS = {
  earning: ["earning", "refunds"],
  bonuses: ["bonuses", "goals", "customActions"],
  expiry: ["expiry"],
  pending: ["pending"],
  tiers: ["tiers", "tierRules"],
  storeCredit: ["storeCredit"],
} as const satisfies Record<string, readonly (keyof ProgramConfig)[]>;

export type ProgramSectionKey = keyof typeof PROGRAM_SECTION_KEYS;

export function isProgramSection(value: string): value is ProgramSectionKey {
  return value in PROGRAM_SECTION_KEYS;
}

function maskOf(section: ProgramSectionKey) {
  return Object.fromEntries(PROGRAM_SECTION_KEYS[section].map((key) => [key, true])) as Record<
    keyof ProgramConfig,
    true
  >;
}

export function programSectionSchema(section: ProgramSectionKey) {
  const schema = ProgramConfigSchema.pick(maskOf(section));
  // Excluded products and collections are ids from the picker, never free text.
  return section === "earning"
    ? schema.extend({ earning: AdminEarningConfigSchema.prefault({}) })
    : schema;
}

/** The section's part of a config (what the page's draft starts from). */
export function pickSection(config: ProgramConfig, section: ProgramSectionKey) {
  return Object.fromEntries(PROGRAM_SECTION_KEYS[section].map((key) => [key, config[key]]));
}

/** The saved config with the section's draft in place: what the simulator and the save use. */
export function withSection(
  config: ProgramConfig,
  section: ProgramSectionKey,
  draft: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...config };
  for (const key of PROGRAM_SECTION_KEYS[section]) merged[key] = draft[key];
  return merged;
}
