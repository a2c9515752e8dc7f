import { z } from "zod";
import { parseIsoDate, startOfLocalDay, startOfNextLocalDay, type LocalDate } from "../calendar";

// Which members a one-time reward campaign reaches (ADR 0045). Messages are copy keys
// (app/locales/en.json); the admin form shows them through tMaybe.

const MAX_POINTS = 1_000_000_000;

const isoDay = z
  .string()
  .refine((text) => parseIsoDate(text) !== null, "campaigns.error.date")
  .nullable();

const points = z.number().int().min(0).max(MAX_POINTS);

export const SegmentSchema = z
  .object({
    /** VIP tier ids, any of; empty = every member whatever their tier, and members without one. */
    tierIds: z.array(z.string().min(1).max(64)).max(50),
    /** Points balance at least this (0 = no lower bound beyond a balance that is not negative). */
    minPoints: points,
    /** Points balance at most this; null = no upper bound. */
    maxPoints: points.nullable(),
    /** Joined (member created) on or after this day of the shop's calendar; null = any. */
    joinedOnOrAfter: isoDay,
    /** Joined on or before this day (the whole day counts); null = any. */
    joinedOnOrBefore: isoDay,
  })
  .strict()
  .superRefine((segment, context) => {
    if (segment.maxPoints !== null && segment.maxPoints < segment.minPoints) {
      context.addIssue({
        code: "custom",
        path: ["maxPoints"],
        message: "campaigns.error.maxBelowMin",
      });
    }
    const after = segment.joinedOnOrAfter;
    const before = segment.joinedOnOrBefore;
    if (after && before && parseIsoDate(after) && parseIsoDate(before) && before < after) {
      context.addIssue({
        code: "custom",
        path: ["joinedOnOrBefore"],
        message: "campaigns.error.joinedOrder",
      });
    }
  })
  .transform((segment) => ({ ...segment, tierIds: [...new Set(segment.tierIds)].sort() }));

export type Segment = z.output<typeof SegmentSchema>;

/** The form's text fields as the schema's input: blank = not set, a non-number stays text. */
export interface SegmentFields {
  tierIds: string[];
  minPoints: string;
  maxPoints: string;
  joinedOnOrAfter: string;
  joinedOnOrBefore: string;
}

export function segmentInput(fields: SegmentFields): unknown {
  const number = (text: string) => (/^\s*-?\d+\s*$/.test(text) ? Number(text) : text);
  return {
    tierIds: fields.tierIds.filter((id) => id !== ""),
    minPoints: fields.minPoints.trim() === "" ? 0 : number(fields.minPoints),
    maxPoints: fields.maxPoints.trim() === "" ? null : number(fields.maxPoints),
    joinedOnOrAfter: fields.joinedOnOrAfter.trim() || null,
    joinedOnOrBefore: fields.joinedOnOrBefore.trim() || null,
  };
}

/** One line of a segment's description; the admin renders each with its copy. */
export type SegmentClause =
  | { kind: "everyone" }
  | { kind: "tiers"; tierIds: string[] }
  | { kind: "points"; min: number; max: number | null }
  | { kind: "joined"; onOrAfter: string | null; onOrBefore: string | null };

/** What the segment selects, clause by clause (all of them apply); `everyone` alone if none. */
export function describeSegment(segment: Segment): SegmentClause[] {
  const clauses: SegmentClause[] = [];
  if (segment.tierIds.length > 0) clauses.push({ kind: "tiers", tierIds: segment.tierIds });
  if (segment.minPoints > 0 || segment.maxPoints !== null) {
    clauses.push({ kind: "points", min: segment.minPoints, max: segment.maxPoints });
  }
  if (segment.joinedOnOrAfter || segment.joinedOnOrBefore) {
    clauses.push({
      kind: "joined",
      onOrAfter: segment.joinedOnOrAfter,
      onOrBefore: segment.joinedOnOrBefore,
    });
  }
  return clauses.length > 0 ? clauses : [{ kind: "everyone" }];
}

/** The instants the join dates stand for in the shop's time zone: [from, until). */
export function joinWindow(
  segment: Segment,
  timeZone: string,
): { from: Date | null; until: Date | null } {
  const day = (text: string | null): LocalDate | null => (text ? parseIsoDate(text) : null);
  const after = day(segment.joinedOnOrAfter);
  const before = day(segment.joinedOnOrBefore);
  return {
    from: after ? startOfLocalDay(after, timeZone) : null,
    until: before ? startOfNextLocalDay(before, timeZone) : null,
  };
}

export interface SegmentMember {
  status: string;
  tierId: string | null;
  pointsBalance: number;
  createdAt: Date;
}

/**
 * Whether a member is in the segment (the SQL of the campaign service says the same; the
 * integration tests hold it to this). Only active members: deleted, redacted (erased) and merged
 * members cannot be granted anything.
 */
export function matchesSegment(segment: Segment, member: SegmentMember, timeZone: string) {
  const { from, until } = joinWindow(segment, timeZone);
  return (
    member.status === "active" &&
    (segment.tierIds.length === 0 ||
      (member.tierId !== null && segment.tierIds.includes(member.tierId))) &&
    member.pointsBalance >= segment.minPoints &&
    (segment.maxPoints === null || member.pointsBalance <= segment.maxPoints) &&
    (from === null || member.createdAt >= from) &&
    (until === null || member.createdAt < until)
  );
}
