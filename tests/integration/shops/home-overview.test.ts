import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { webhookActivity } from "~/services/home/activity.server";
import { navigationFor } from "~/services/home/navigation.server";
import { saveProgram } from "~/services/program/versions.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { deliver, newStore } from "../../support/deliveries";
import { TEST_SHOP } from "../../support/webhooks";

describe("the admin home", () => {
  it("tells each delivery as a story: the order, the customer, the points it moved", async () => {
    const store = newStore();
    const customer = store.addCustomer({
      email: "ana@example.com",
      first_name: "Ana",
      last_name: "Lima",
    });
    const order = store.addPaidOrder(customer, [{ title: "Lamp", price: "150.00", quantity: 2 }]);
    await deliver("orders/paid", order);
    const refund = store.refundLineItem(order, order.line_items[0]!.id, 1);
    await deliver("refunds/create", refund);

    const { recent } = await webhookActivity(TEST_SHOP);

    expect(
      recent.map((story) => [
        story.topic,
        story.orderName,
        story.customer,
        story.points,
        story.state,
      ]),
    ).toEqual([
      ["REFUNDS_CREATE", order.name, "Ana Lima", -150, "applied"],
      ["ORDERS_PAID", order.name, "Ana Lima", 300, "applied"],
    ]);
  });

  it("offers store credit review only to a shop that gives store credit", async () => {
    const shop = await ensureShop(prisma, TEST_SHOP);
    expect(await navigationFor(shop.id)).toEqual({ storeCreditReview: false });
    await prisma.$transaction((tx) =>
      saveProgram(
        tx,
        shop.id,
        { storeCredit: { enabled: true, cashbackBasisPoints: 500 } },
        "test",
      ),
    );
    expect(await navigationFor(shop.id)).toEqual({ storeCreditReview: true });
  });
});
