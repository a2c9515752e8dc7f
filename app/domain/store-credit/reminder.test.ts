import { describe, expect, it } from "vitest";
import { expiringAmount, storeCreditReminderDays } from "./reminder";

const now = new Date("2026-11-23T12:00:00Z");
const inHours = (hours: number) => new Date(now.getTime() + hours * 3_600_000);

describe("store credit expiry reminders", () => {
  it("is due within the reminder window, with the days left rounded up", () => {
    expect(storeCreditReminderDays(inHours(7 * 24), now, 7)).toBe(7);
    expect(storeCreditReminderDays(inHours(30), now, 7)).toBe(2);
    expect(storeCreditReminderDays(inHours(1), now, 7)).toBe(1);
  });
  it("is not due before the window, after the expiry, or when reminders are off", () => {
    expect(storeCreditReminderDays(inHours(7 * 24 + 1), now, 7)).toBeNull();
    expect(storeCreditReminderDays(now, now, 7)).toBeNull();
    expect(storeCreditReminderDays(inHours(-5), now, 7)).toBeNull();
    expect(storeCreditReminderDays(inHours(24), now, 0)).toBeNull();
  });
  it("counts only what is left of the credit, never more than the balance", () => {
    expect(expiringAmount(400, 0, 1000)).toBe(400);
    expect(expiringAmount(400, 100, 1000)).toBe(300);
    expect(expiringAmount(400, 0, 250)).toBe(250);
    expect(expiringAmount(400, 400, 1000)).toBe(0);
    expect(expiringAmount(400, 0, 0)).toBe(0);
  });
});
