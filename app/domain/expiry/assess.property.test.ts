import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysBetween, localDate } from "../calendar";
import { assessExpiry } from "./assess";
import type { ExpiryConfig, PointLot } from "./types";

const ZONES = ["America/New_York", "Europe/Berlin", "Pacific/Auckland", "Asia/Kolkata", "UTC"];
const BASE = Date.UTC(2026, 0, 1);
const instantArb = fc
  .integer({ min: -800 * 24, max: 800 * 24 })
  .map((h) => new Date(BASE + h * 3_600_000));

const lotsArb = fc
  .uniqueArray(
    fc.record({
      lotId: fc.string({ minLength: 1, maxLength: 4 }),
      earnedAt: instantArb,
      points: fc.integer({ min: 0, max: 500 }),
      spent: fc.integer({ min: 0, max: 100 }),
    }),
    { selector: (l) => l.lotId, maxLength: 8 },
  )
  .map((lots) =>
    lots.map(({ spent, ...l }): PointLot => ({
      ...l,
      remaining: l.points - Math.floor((l.points * spent) / 100),
    })),
  );

const configArb: fc.Arbitrary<ExpiryConfig> = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({
    kind: fc.constantFrom("inactivity" as const, "per_lot" as const),
    days: fc.integer({ min: 0, max: 500 }),
    reminderDaysBefore: fc.integer({ min: 0, max: 60 }),
  }),
);

const scenarioArb = fc.record({
  lots: lotsArb,
  config: configArb,
  now: instantArb,
  lastActivityAt: fc.option(instantArb),
  timeZone: fc.constantFrom(...ZONES),
});

describe("assessExpiry properties", () => {
  it("never expires more than a lot has left, nor a lot twice, and is idempotent", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const result = assessExpiry(input);
        const byId = new Map(input.lots.map((lot) => [lot.lotId, lot]));
        const ids = result.expired.map((e) => e.lotId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const item of result.expired) {
          expect(item.points).toBeGreaterThan(0);
          expect(item.points).toBe(byId.get(item.lotId)!.remaining);
        }
        expect(result.expiredPoints).toBe(result.expired.reduce((s, e) => s + e.points, 0));
        // what expires now is never also reported as expiring later
        for (const item of result.next?.lots ?? []) expect(ids).not.toContain(item.lotId);
        // GIVEN the service applied the debits WHEN assessed again THEN nothing more expires
        const applied = input.lots.map((lot) =>
          ids.includes(lot.lotId) ? { ...lot, remaining: 0 } : lot,
        );
        expect(assessExpiry({ ...input, lots: applied }).expiredPoints).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it("per_lot: a lot is usable through local day earned + N and gone the day after", () => {
    // `now` is drawn within two days of the boundary, where off-by-one and zone bugs live.
    const boundaryArb = fc.record({
      earnedAt: instantArb,
      days: fc.integer({ min: 0, max: 400 }),
      zone: fc.constantFrom(...ZONES),
      jitterMinutes: fc.integer({ min: -2 * 1440, max: 2 * 1440 }),
    });
    fc.assert(
      fc.property(boundaryArb, ({ earnedAt, days, zone, jitterMinutes }) => {
        const now = new Date(earnedAt.getTime() + (days * 1440 + jitterMinutes) * 60_000);
        const lots = [{ lotId: "l", earnedAt, points: 10, remaining: 10 }];
        const config: ExpiryConfig = { kind: "per_lot", days, reminderDaysBefore: 0 };
        const result = assessExpiry({ lots, config, now, timeZone: zone, lastActivityAt: null });
        const age = daysBetween(localDate(earnedAt, zone), localDate(now, zone));
        expect(result.expiredPoints).toBe(age > days ? 10 : 0);
      }),
      { numRuns: 1_000 },
    );
  });

  it("reminders fall inside their window, once per key, and the next expiry is the soonest", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const result = assessExpiry(input);
        const lead = input.config.kind === "none" ? 0 : input.config.reminderDaysBefore;
        const keys = result.reminders.map((r) => r.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const reminder of result.reminders) {
          expect(reminder.daysLeft).toBeGreaterThanOrEqual(0);
          expect(reminder.daysLeft).toBeLessThanOrEqual(lead);
          expect(reminder.points).toBeGreaterThan(0);
        }
        if (result.next) {
          expect(result.next.expiresAt.getTime()).toBeGreaterThan(input.now.getTime());
          expect(result.next.points).toBe(result.next.lots.reduce((s, l) => s + l.points, 0));
          const first = result.reminders[0];
          if (first) expect(daysBetween(first.expiresOn, result.next.expiresOn)).toBe(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
