import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { spendHistory } from "~/services/tiers/evaluate.server";
import { deliver, memberOf, newStore } from "../../support/deliveries";

describe("tier spend history", () => {
  it("reaches back 365 days from the end of the period under review, not from now", async () => {
    // GIVEN an order paid on Jan 10, 2026, and a tier period that ended on Dec 1, 2026
    const store = newStore();
    const ada = store.addCustomer({ email: "window@example.com" });
    const order = store.addPaidOrder(ada, [{ title: "Coat", price: "250.00", quantity: 1 }], {
      at: new Date("2026-01-10T15:00:00Z"),
    });
    await deliver("orders/paid", order);
    const member = await prisma.member.update({
      where: { id: (await memberOf(ada.id))!.id },
      data: { tierPeriodEndsAt: new Date("2026-12-01T00:00:00Z") },
    });

    // WHEN the (late) review runs on Jan 20, 2027, more than a year after the order
    const history = await spendHistory(prisma, member, new Date("2027-01-20T12:00:00Z"));

    // THEN the order still counts for the period that ended on Dec 1
    expect(history).toEqual([{ at: new Date("2026-01-10T15:00:00Z"), minor: 25_000 }]);
  });
});
