import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { saveProgram } from "~/services/program/versions.server";
import { deliver, expectBalanceMatchesLedger, memberOf, newStore } from "../../support/deliveries";

describe("excluded products earn nothing", () => {
  it("an order's excluded product earns nothing and a refund of it claws nothing back", async () => {
    const store = newStore();
    const ada = store.addCustomer({ email: "exclusions@example.com" });
    await deliver("customers/create", ada);
    const order = store.addPaidOrder(ada, [
      { title: "Gift wrap", price: "5.00", quantity: 2 },
      { title: "Vase", price: "40.00", quantity: 1 },
    ]);
    const [wrap] = order.line_items;
    const shop = await prisma.shop.findFirstOrThrow();
    // Product ids as order webhooks carry them (numeric, as strings).
    await saveProgram(
      prisma,
      shop.id,
      { earning: { excludedProductIds: [String(wrap!.product_id)] } },
      "test",
    );

    await deliver("orders/paid", order);
    expect((await memberOf(ada.id))?.pointsBalance).toBe(40);
    await deliver("refunds/create", store.refundLineItem(order, wrap!.id, 2));
    expect((await memberOf(ada.id))?.pointsBalance).toBe(40);
    await expectBalanceMatchesLedger(ada.id);
  });
});
