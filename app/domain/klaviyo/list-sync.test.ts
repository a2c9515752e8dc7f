import { describe, expect, it } from "vitest";
import { belongsOnMemberList, listSyncDue } from "./list-sync";

const at = (iso: string) => new Date(iso);

describe("listSyncDue", () => {
  const base = { timeZone: "America/New_York", hour: 3 };
  it("is off without an hour", () => {
    expect(
      listSyncDue({ ...base, hour: null, now: at("2026-11-22T12:00:00Z"), lastSyncedAt: null }),
    ).toBe(false);
  });
  it("waits for the local hour, then runs once that day", () => {
    // 03:00 in New York (UTC−5 in November) is 08:00 UTC.
    expect(listSyncDue({ ...base, now: at("2026-11-22T07:59:00Z"), lastSyncedAt: null })).toBe(
      false,
    );
    expect(listSyncDue({ ...base, now: at("2026-11-22T08:00:00Z"), lastSyncedAt: null })).toBe(
      true,
    );
    expect(
      listSyncDue({
        ...base,
        now: at("2026-11-22T20:00:00Z"),
        lastSyncedAt: at("2026-11-22T08:01:00Z"),
      }),
    ).toBe(false);
    // An on-demand sync before the hour does not replace the day's run.
    expect(
      listSyncDue({
        ...base,
        now: at("2026-11-22T09:00:00Z"),
        lastSyncedAt: at("2026-11-22T06:00:00Z"),
      }),
    ).toBe(true);
    expect(
      listSyncDue({
        ...base,
        now: at("2026-11-23T08:30:00Z"),
        lastSyncedAt: at("2026-11-22T08:01:00Z"),
      }),
    ).toBe(true);
  });
  it("runs on demand, once per request, even without a daily hour", () => {
    const now = at("2026-11-22T12:00:00Z");
    const requestedAt = at("2026-11-22T11:59:00Z");
    expect(listSyncDue({ ...base, hour: null, now, lastSyncedAt: null, requestedAt })).toBe(true);
    expect(
      listSyncDue({
        ...base,
        hour: null,
        now,
        lastSyncedAt: at("2026-11-22T11:59:30Z"),
        requestedAt,
      }),
    ).toBe(false);
  });
});

describe("belongsOnMemberList", () => {
  it("keeps active members unless they unsubscribed from email marketing", () => {
    const active = (emailMarketingState: string | null) => ({
      status: "active",
      emailMarketingState,
    });
    expect(belongsOnMemberList(active(null))).toBe(true);
    expect(belongsOnMemberList(active("subscribed"))).toBe(true);
    expect(belongsOnMemberList(active("not_subscribed"))).toBe(true);
    expect(belongsOnMemberList(active("pending"))).toBe(true);
    expect(belongsOnMemberList(active("unsubscribed"))).toBe(false);
  });
  it("leaves out deleted, redacted and merged members whatever their consent", () => {
    for (const status of ["deleted", "redacted", "merged"]) {
      expect(belongsOnMemberList({ status, emailMarketingState: "subscribed" })).toBe(false);
      expect(belongsOnMemberList({ status, emailMarketingState: null })).toBe(false);
    }
  });
});
