import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  describeSegment,
  grantRefusal,
  matchesSegment,
  segmentInput,
  SegmentSchema,
  type Segment,
} from ".";
import { RewardDefinitionSchema } from "../rewards";

const day = fc
  .date({
    min: new Date("2020-01-01T00:00:00Z"),
    max: new Date("2030-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

const rawSegment = fc.record({
  tierIds: fc.array(fc.constantFrom("silver", "gold", "platinum"), { maxLength: 3 }),
  minPoints: fc.nat({ max: 5_000 }),
  maxPoints: fc.option(fc.nat({ max: 5_000 }), { nil: null }),
  joinedOnOrAfter: fc.option(day, { nil: null }),
  joinedOnOrBefore: fc.option(day, { nil: null }),
});

const member = fc.record({
  status: fc.constantFrom("active", "active", "deleted", "redacted", "merged"),
  tierId: fc.option(fc.constantFrom("silver", "gold", "platinum"), { nil: null }),
  pointsBalance: fc.integer({ min: -100, max: 6_000 }),
  createdAt: fc.date({
    min: new Date("2019-12-30T00:00:00Z"),
    max: new Date("2031-01-02T00:00:00Z"),
    noInvalidDate: true,
  }),
});

const zones = fc.constantFrom("UTC", "America/New_York", "Pacific/Apia", "Asia/Kolkata");

describe("campaign segment", () => {
  it("accepts exactly the segments whose bounds are in order", () => {
    fc.assert(
      fc.property(rawSegment, (raw) => {
        const ordered =
          (raw.maxPoints === null || raw.maxPoints >= raw.minPoints) &&
          (raw.joinedOnOrAfter === null ||
            raw.joinedOnOrBefore === null ||
            raw.joinedOnOrBefore >= raw.joinedOnOrAfter);
        expect(SegmentSchema.safeParse(raw).success).toBe(ordered);
      }),
    );
  });

  it("describes every bound it applies, and says everyone only when none applies", () => {
    fc.assert(
      fc.property(rawSegment, (raw) => {
        const parsed = SegmentSchema.safeParse(raw);
        fc.pre(parsed.success);
        const segment = parsed.data as Segment;
        const clauses = describeSegment(segment);
        const kinds = clauses.map((c) => c.kind);
        expect(kinds.includes("tiers")).toBe(segment.tierIds.length > 0);
        expect(kinds.includes("points")).toBe(segment.minPoints > 0 || segment.maxPoints !== null);
        expect(kinds.includes("joined")).toBe(
          segment.joinedOnOrAfter !== null || segment.joinedOnOrBefore !== null,
        );
        expect(kinds.includes("everyone")).toBe(kinds.length === 1 && kinds[0] === "everyone");
        // Re-parsing the parsed segment (as stored) changes nothing.
        expect(SegmentSchema.parse(segment)).toEqual(segment);
      }),
    );
  });

  it("a member matches only when active, in a chosen tier, in the points range and the join window", () => {
    fc.assert(
      fc.property(rawSegment, member, zones, (raw, m, zone) => {
        const parsed = SegmentSchema.safeParse(raw);
        fc.pre(parsed.success);
        const segment = parsed.data as Segment;
        const matched = matchesSegment(segment, m, zone);
        if (m.status !== "active" || m.pointsBalance < segment.minPoints) {
          expect(matched).toBe(false);
        }
        if (segment.maxPoints !== null && m.pointsBalance > segment.maxPoints) {
          expect(matched).toBe(false);
        }
        if (
          segment.tierIds.length > 0 &&
          (m.tierId === null || !segment.tierIds.includes(m.tierId))
        ) {
          expect(matched).toBe(false);
        }
        // The empty segment takes every active member with a balance that is not negative.
        const everyone = SegmentSchema.parse({
          tierIds: [],
          minPoints: 0,
          maxPoints: null,
          joinedOnOrAfter: null,
          joinedOnOrBefore: null,
        });
        expect(matchesSegment(everyone, m, zone)).toBe(
          m.status === "active" && m.pointsBalance >= 0,
        );
      }),
    );
  });

  it("the join dates are whole days of the shop's calendar, both ends included", () => {
    const segment = SegmentSchema.parse({
      tierIds: [],
      minPoints: 0,
      maxPoints: null,
      joinedOnOrAfter: "2026-03-01",
      joinedOnOrBefore: "2026-03-31",
    });
    const at = (iso: string) => ({
      status: "active",
      tierId: null,
      pointsBalance: 0,
      createdAt: new Date(iso),
    });
    const ny = "America/New_York";
    expect(matchesSegment(segment, at("2026-03-01T04:59:59.999Z"), ny)).toBe(false);
    expect(matchesSegment(segment, at("2026-03-01T05:00:00.000Z"), ny)).toBe(true);
    // 2026-03-31 ends at midnight New York time (EDT, UTC-4).
    expect(matchesSegment(segment, at("2026-04-01T03:59:59.999Z"), ny)).toBe(true);
    expect(matchesSegment(segment, at("2026-04-01T04:00:00.000Z"), ny)).toBe(false);
  });

  it("reads the form's text fields: blank is unset, text where a number belongs is an error", () => {
    const fields = {
      tierIds: ["gold", "", "gold"],
      minPoints: "",
      maxPoints: "",
      joinedOnOrAfter: "",
      joinedOnOrBefore: "",
    };
    expect(SegmentSchema.parse(segmentInput(fields))).toEqual({
      tierIds: ["gold"],
      minPoints: 0,
      maxPoints: null,
      joinedOnOrAfter: null,
      joinedOnOrBefore: null,
    });
    const bad = SegmentSchema.safeParse(
      segmentInput({ ...fields, minPoints: "ten", maxPoints: "-1", joinedOnOrAfter: "2026-02-30" }),
    );
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["minPoints", "maxPoints", "joinedOnOrAfter"]),
    );
  });

  it("grants enabled rewards that need no points choice", () => {
    const reward = RewardDefinitionSchema.parse({
      type: "fixed_amount",
      handle: "five-off",
      name: "$5 off",
      pointsCost: 500,
      amountMinor: 500,
    });
    expect(grantRefusal(reward)).toBeNull();
    expect(grantRefusal({ ...reward, enabled: false })).toBe("campaigns.error.rewardDisabled");
    expect(grantRefusal(null)).toBe("campaigns.error.rewardUnknown");
  });
});
