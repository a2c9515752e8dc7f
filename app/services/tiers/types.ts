import type { Timeline, TimelineInput } from "~/domain/tiers";
import type { ProgramVersionInForce } from "../program/history.server";
import type { StoredCheckpoint } from "./checkpoint";
import type { MemberOrder } from "./facts.server";

/** The member's tier as the facts give it (ADR 0054), with what was read to derive it. */
export interface Standing {
  timeline: Timeline;
  /** What the timeline was replayed from (to ask what other facts would have given). */
  input: TimelineInput;
  checkpoint: StoredCheckpoint | null;
  orders: MemberOrder[];
  history: ProgramVersionInForce[];
}
