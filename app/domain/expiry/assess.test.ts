import { describe, expect, it } from "vitest";
import { formatIsoDate } from "../calendar";
import { assessExpiry, expiryAfter, expiryKey, lotExpiry } from "./assess";
import type { ExpiryConfig, PointLot } from "./types";

const NY = "America/New_York";
const lot = (lotId: string, earnedAt: string, points: number, remaining = points): PointLot => ({
  lotId,
  earnedAt: new Date(earnedAt),
  points,
  remaining,
});
const perLot = (days: number, reminderDaysBefore = 0): ExpiryConfig => ({
  kind: "per_lot",
  days,
  reminderDaysBefore,
});
const assess = (lots: PointLot[], config: ExpiryConfig, now: string, lastActivityAt?: string) =>
  assessExpiry({
    lots,
    config,
    now: new Date(now),
    timeZone: NY,
    lastActivityAt: lastActivityAt ? new Date(lastActivityAt) : null,
  });

describe("expiryAfter", () => {
  it("counts the shop's days and ends at the start of the next local day, across DST", () => {
    // GIVEN points earned at 03:00 UTC on Mar 1, which is still Feb 28 in New York
    const moment = expiryAfter(new Date("2026-03-01T03:00:00Z"), 30, NY);
    // THEN they can be used through Mar 30 and are gone at local midnight, now on EDT (UTC-4)
    expect(formatIsoDate(moment.expiresOn)).toBe("2026-03-30");
    expect(moment.expiresAt.toISOString()).toBe("2026-03-31T04:00:00.000Z");
    // the same instant in Kolkata is already Mar 1 (08:30 local)
    expect(
      formatIsoDate(expiryAfter(new Date("2026-03-01T03:00:00Z"), 30, "Asia/Kolkata").expiresOn),
    ).toBe("2026-03-31");
  });

  it("prefers the expiry stamped on the lot", () => {
    const stamped = {
      ...lot("a", "2026-01-01T12:00:00Z", 5),
      expiresAt: new Date("2026-02-01T05:00:00Z"),
    };
    expect(formatIsoDate(lotExpiry(stamped, 999, NY).expiresOn)).toBe("2026-01-31");
  });
});

describe("assessExpiry: per_lot", () => {
  const lots = [
    lot("a", "2025-01-10T17:00:00Z", 100, 40),
    lot("b", "2025-06-01T14:00:00Z", 50),
    lot("b2", "2025-06-02T02:00:00Z", 25), // 22:00 on Jun 1 in New York: same local day as b
    lot("spent", "2024-01-01T17:00:00Z", 30, 0),
  ];

  it("expires what is left of a lot at the first instant after its last day", () => {
    // A's last day is 2026-01-10 (New York); it is gone at 2026-01-11T05:00Z (EST midnight)
    const before = assess(lots, perLot(365), "2026-01-11T04:59:59.999Z");
    expect(before.expired).toEqual([]);
    expect(before.next).toMatchObject({ points: 40, lots: [{ lotId: "a", points: 40 }] });
    const after = assess(lots, perLot(365), "2026-01-11T05:00:00Z");
    expect(after.expired).toEqual([{ lotId: "a", points: 40 }]);
    expect(after.expiredPoints).toBe(40);
    expect(expiryKey("a")).toBe("expire:a");
  });

  it("reports the next expiry per local day, summing lots that end that day", () => {
    const result = assess(lots, perLot(365), "2026-02-01T12:00:00Z");
    expect(formatIsoDate(result.next!.expiresOn)).toBe("2026-06-01");
    expect(result.next!.points).toBe(75);
    expect(result.next!.lots.map((l) => l.lotId)).toEqual(["b", "b2"]);
  });

  it("makes the reminder due from N days before the last day through the last day", () => {
    const config = perLot(365, 30);
    // 2026-05-01 local: 31 days left, not yet
    expect(assess(lots, config, "2026-05-01T15:00:00Z").reminders).toEqual([]);
    // 2026-05-02 local: 30 days left
    const due = assess(lots, config, "2026-05-02T15:00:00Z").reminders;
    expect(due).toEqual([
      {
        key: "expiring:lots:2026-06-01",
        expiresOn: { year: 2026, month: 6, day: 1 },
        points: 75,
        daysLeft: 30,
      },
    ]);
    // a missed run is caught up with the same key, so the service still sends it exactly once
    expect(assess(lots, config, "2026-05-20T15:00:00Z").reminders[0]?.key).toBe(due[0]?.key);
    // 03:00 UTC on Jun 2 is still Jun 1 in New York: the last day, 0 days left
    expect(assess(lots, config, "2026-06-02T03:00:00Z").reminders[0]?.daysLeft).toBe(0);
  });

  it("sends no reminder when reminders are off, and nothing at all in mode none", () => {
    expect(assess(lots, perLot(365, 0), "2026-05-20T15:00:00Z").reminders).toEqual([]);
    expect(assess(lots, { kind: "none" }, "2030-01-01T00:00:00Z")).toEqual({
      expired: [],
      expiredPoints: 0,
      next: null,
      reminders: [],
    });
  });
});

describe("assessExpiry: inactivity", () => {
  const lots = [lot("a", "2025-12-01T17:00:00Z", 100, 60), lot("b", "2026-01-02T17:00:00Z", 20)];
  const config: ExpiryConfig = { kind: "inactivity", days: 90, reminderDaysBefore: 14 };

  it("expires every lot's remainder N days after the last activity", () => {
    // last activity Jan 15 (local) → usable through Apr 15, gone at 2026-04-16T04:00Z (EDT)
    const active = assess(lots, config, "2026-04-16T03:59:59Z", "2026-01-15T20:00:00Z");
    expect(active.expired).toEqual([]);
    expect(active.next).toMatchObject({ points: 80, expiresAt: new Date("2026-04-16T04:00:00Z") });
    expect(active.reminders).toEqual([
      {
        key: "expiring:activity:2026-01-15:2026-04-15",
        expiresOn: { year: 2026, month: 4, day: 15 },
        points: 80,
        daysLeft: 0,
      },
    ]);
    const gone = assess(lots, config, "2026-04-16T04:00:00Z", "2026-01-15T20:00:00Z");
    expect(gone.expired).toEqual([
      { lotId: "a", points: 60 },
      { lotId: "b", points: 20 },
    ]);
    expect(gone.next).toBeNull();
  });

  it("falls back to the newest lot when no activity is recorded", () => {
    const result = assess(lots, config, "2026-02-01T12:00:00Z");
    expect(formatIsoDate(result.next!.expiresOn)).toBe("2026-04-02");
  });

  it("has nothing to say about a member without points", () => {
    expect(
      assess(
        [lot("a", "2025-01-01T00:00:00Z", 10, 0)],
        config,
        "2026-06-01T00:00:00Z",
        "2025-01-01T00:00:00Z",
      ),
    ).toMatchObject({
      expired: [],
      next: null,
    });
  });
});
