import type { Timeline } from "~/domain/tiers";
import type { ProgramVersionInForce } from "../program/history.server";
import type { StoredCheckpoint } from "./checkpoint";
import type { MemberOrder } from "./facts.server";

/** The member's tier as the facts give it (ADR 0054), with what was read to derive it. */
export interface Standing {
  timeline: Timeline;
  checkpoint: StoredCheckpoint | null;
  orders: MemberOrder[];
  history: ProgramVersionInForce[];
}
