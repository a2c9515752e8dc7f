import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import { deliver, eventsOf, memberOf, newStore } from "../../support/deliveries";

/** Runs `act` with the process clock at `instant`, so entries, events and orders are dated then. */
async function at<T>(instant: string, act: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(instant));
  try {
    return await act();
  } finally {
    vi.useRealTimers();
  }
}

// Spend tiers in cents: Silver from $100, Gold from $500 (kept with $400 in the period).
const TIERS = [
  {
    id: "silver",
    name: "Silver",
    threshold: { kind: "spend_365d", minor: 100_00 },
  },
  {
    id: "gold",
    name: "Gold",
    threshold: { kind: "spend_365d", minor: 500_00 },
    maintainMinor: 400_00,
  },
];

describe("tier period ends", () => {
  it("downgrades at the end of the period to the tier the period's spend keeps, once", async () => {
    // GIVEN a shop in New York with tiers, and a member who entered Gold with a $600 order
    const store = newStore();
    const gil = store.addCustomer({ email: "gil@example.com" });
    await deliver("customers/create", gil);
    const shopId = (await prisma.shop.findFirstOrThrow()).id;
    await prisma.shop.update({ where: { id: shopId }, data: { timeZone: "America/New_York" } });
    await saveProgram(prisma, shopId, { tiers: TIERS }, "test");
    const big = new Date("2026-01-15T15:00:00Z");
    await at(big.toISOString(), () =>
      deliver(
        "orders/paid",
        store.addPaidOrder(gil, [{ title: "Coat", price: "600.00", quantity: 1 }], { at: big }),
      ),
    );
    // and spent $150 more in June: enough for Silver, not to keep Gold
    const june = new Date("2026-06-01T15:00:00Z");
    await at(june.toISOString(), () =>
      deliver(
        "orders/paid",
        store.addPaidOrder(gil, [{ title: "Hat", price: "150.00", quantity: 1 }], { at: june }),
      ),
    );
    const entered = await memberOf(gil.id);
    expect(entered).toMatchObject({ tierId: "gold" });
    expect(entered?.tierPeriodEndsAt?.toISOString()).toBe("2027-01-15T15:00:00.000Z");

    // WHEN the job runs before the period ends THEN nothing changes
    await runDailyMaintenance(shopId, new Date("2027-01-15T14:59:59Z"));
    expect(await eventsOf(gil.id, "tier.updated")).toHaveLength(1);

    // WHEN it runs the day after the period ended, twice
    const summary = await runDailyMaintenance(shopId, new Date("2027-01-16T12:00:00Z"));
    await runDailyMaintenance(shopId, new Date("2027-01-16T18:00:00Z"));

    // THEN one downgrade, measured over the year ending at the period end (the $150 order)
    expect(summary).toMatchObject({ tierReviews: 1, failed: 0 });
    const updates = await eventsOf(gil.id, "tier.updated");
    expect(updates.map((e) => (e.payload as { change: string }).change)).toEqual([
      "spending_assign",
      "spending_downgrade",
    ]);
    expect(updates[1]?.payload).toEqual({
      change: "spending_downgrade",
      reason: "period_end",
      previous_tier: "Gold",
      current_tier: "Silver",
      entry_date: "2027-01-15",
      locked_until: null,
      expires_at: "2028-01-15T15:00:00.000Z",
    });
    expect(updates[1]?.snapshot).toMatchObject({ vip_tier: "Silver" });
    expect(updates[1]?.occurredAt.toISOString()).toBe("2027-01-15T15:00:00.000Z");
    const member = await memberOf(gil.id);
    expect(member).toMatchObject({ tierId: "silver" });
    expect(member?.tierPeriodEndsAt?.toISOString()).toBe("2028-01-15T15:00:00.000Z");
  });
});
