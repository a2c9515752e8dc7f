import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runReconciliation } from "~/jobs/workers/ledger/reconcile.worker";
import { deliver, memberOf, newStore } from "../../support/deliveries";

describe("nightly ledger reconciliation", () => {
  it("records each member whose balance is not the sum of its entries, once a day, and only those", async () => {
    // GIVEN two members with points, one of whose cached balance was corrupted behind the ledger's back
    const store = newStore();
    const [honest, corrupted] = ["a", "b"].map((n) =>
      store.addCustomer({ email: `${n}@example.com` }),
    );
    for (const customer of [honest!, corrupted!]) {
      await deliver(
        "orders/paid",
        store.addPaidOrder(customer, [{ title: "Tea", price: "40.00", quantity: 1 }]),
      );
    }
    const member = (await memberOf(corrupted!.id))!;
    await prisma.member.update({ where: { id: member.id }, data: { pointsBalance: 1000 } });

    // WHEN the nightly job runs, twice on the same day (a retry), then the next day
    const night = new Date("2026-11-23T04:20:00Z");
    const [first] = await runReconciliation(night);
    const [again] = await runReconciliation(new Date(night.getTime() + 60_000));
    await runReconciliation(new Date(night.getTime() + 86_400_000));

    // THEN the corrupted member is recorded once per day with both figures; the honest one never
    expect(first).toMatchObject({ membersChecked: 2, drifted: 1 });
    expect(again).toMatchObject({ membersChecked: 2, drifted: 0 });
    const drift = await prisma.ledgerDrift.findMany({ orderBy: { detectedOn: "asc" } });
    expect(drift.map((d) => [d.memberId, d.cachedBalance, d.ledgerSum, d.detectedOn])).toEqual([
      [member.id, 1000, 40, "2026-11-23"],
      [member.id, 1000, 40, "2026-11-24"],
    ]);
    // AND nothing was changed: the check reports, it does not "fix" balances
    expect((await memberOf(corrupted!.id))!.pointsBalance).toBe(1000);
  });

  it("is registered as a daily pg-boss schedule", async () => {
    const { getBoss } = await import("~/jobs/queues/boss.server");
    const { registerReconciliationJobs } = await import("~/jobs/workers/ledger/reconcile.worker");
    const boss = await getBoss();
    await registerReconciliationJobs(boss);
    const schedules = await boss.getSchedules();
    expect(schedules.find((s) => s.name === "ledger.reconcile")?.cron).toBe("20 4 * * *");
  });
});
