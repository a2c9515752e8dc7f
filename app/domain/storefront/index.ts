export { PROGRAM_SUMMARY_VERSION, pointsForPrice, programSummary } from "./program-summary";
export type { ProgramSummary, WayToEarn } from "./program-summary";
export { ownedCodes } from "./owned-codes";
export type { OwnedCode, OwnedCodeFacts } from "./owned-codes";
