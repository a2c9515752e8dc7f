import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { connectOmnisend } from "~/services/omnisend/connection.server";
import { drainOmnisend } from "~/services/omnisend/drain.server";
import { setCommerceEvents } from "~/services/commerce/events.server";
import { deliver } from "../../support/deliveries";
import { KLAVIYO_KEY, klaviyoStandIn, memberEvents, newMember } from "../../support/klaviyo";
import { OMNISEND_KEY, omnisendStandIn } from "../../support/omnisend";

const klaviyo = klaviyoStandIn();
const omnisend = omnisendStandIn();

const ORDER_METRICS = [
  "Placed Order",
  "Ordered Product",
  "Fulfilled Order",
  "Cancelled Order",
  "Refunded Order",
];
const OMNISEND_NAMES = [
  "placed order",
  "ordered product",
  "order fulfilled",
  "order canceled",
  "order refunded",
];

/** A member of a shop connected to both platforms, with commerce events on or off. */
async function connectedShop(email: string, commerce: boolean) {
  const created = await newMember({ email });
  await connectKlaviyo(created.shop.id, KLAVIYO_KEY);
  await connectOmnisend(created.shop.id, OMNISEND_KEY);
  if (commerce) await setCommerceEvents(created.shop.id, true);
  await drainBoth(created.shop.id);
  return created;
}

async function drainBoth(shopId: string) {
  expect(await drainKlaviyo(shopId)).toMatchObject({ state: "done" });
  expect(await drainOmnisend(shopId)).toMatchObject({ state: "done" });
}

const commerceRows = (shopId: string, customerId: number) =>
  prisma.loyaltyEvent.findMany({
    where: { shopId, customerId: BigInt(customerId), type: { startsWith: "commerce." } },
    include: { deliveries: true },
  });

const refused = (requests: readonly { status: number; path: string }[], from: number) =>
  requests.slice(from).filter((r) => r.status >= 400);

describe("Commerce events from order webhooks", () => {
  it("are off by default: an order sends no commerce event anywhere", async () => {
    const { shop, customer, store } = await connectedShop("commerce-off@example.com", false);
    const order = store.addPaidOrder(customer, [{ title: "Lamp", price: "40.00", quantity: 1 }]);
    await deliver("orders/paid", order);
    await deliver("orders/fulfilled", order);
    await drainBoth(shop.id);

    expect(await commerceRows(shop.id, customer.id)).toEqual([]);
    for (const metric of ORDER_METRICS) expect(memberEvents(klaviyo(), metric)).toEqual([]);
    for (const name of OMNISEND_NAMES) expect(omnisend().state.eventsNamed(name)).toEqual([]);
    // The loyalty event of the same order still went.
    expect(memberEvents(klaviyo(), "Loyalty Points Added").length).toBeGreaterThan(0);
  });

  it("send each order fact once, valid for both platforms' contracts, with the order's points", async () => {
    const email = "commerce-on@example.com";
    const { shop, member, customer, store } = await connectedShop(email, true);
    const klaviyoFrom = klaviyo().state.requests.length;
    const omnisendFrom = omnisend().state.requests.length;
    const order = store.addPaidOrder(
      customer,
      [
        { title: "Teapot", price: "30.00", quantity: 1, sku: "TP-1" },
        { title: "Cup", price: "5.00", quantity: 4, sku: "CUP-1" },
      ],
      { discountCodes: [{ code: "TEA10", amount: "5.00", type: "fixed_amount" }] },
    );
    await deliver("orders/paid", order);
    await deliver("orders/paid", order); // redelivered under another webhook id
    await deliver("orders/fulfilled", order);
    await deliver("orders/fulfilled", order);
    const cup = order.line_items[1]!;
    const refund = store.refundLineItem(order, cup.id, 2);
    await deliver("refunds/create", refund);
    await deliver("refunds/create", refund);
    store.cancelOrder(order);
    await deliver("orders/cancelled", order);
    await deliver("orders/cancelled", order);
    await drainBoth(shop.id);

    // One outbox row per fact: Placed Order, two Ordered Product, Fulfilled, Refunded, Cancelled.
    const rows = await commerceRows(shop.id, customer.id);
    expect(rows.map((r) => r.type).sort()).toEqual([
      "commerce.cancelled_order",
      "commerce.fulfilled_order",
      "commerce.ordered_product",
      "commerce.ordered_product",
      "commerce.placed_order",
      "commerce.refunded_order",
    ]);
    // Each went to Klaviyo and Omnisend (not Flow) and was accepted by both.
    for (const row of rows) {
      expect(row.deliveries.map((d) => [d.destination, d.state]).sort()).toEqual([
        ["klaviyo", "delivered"],
        ["omnisend", "delivered"],
      ]);
    }
    expect(refused(klaviyo().state.requests, klaviyoFrom)).toEqual([]);
    expect(refused(omnisend().state.requests, omnisendFrom)).toEqual([]);

    // Klaviyo: the metric names of its Shopify integration, once each, unique_id = outbox id.
    const counts = ORDER_METRICS.map((m) => memberEvents(klaviyo(), m).length);
    expect(counts).toEqual([1, 2, 1, 1, 1]);
    const earn = await prisma.ledgerEntry.findFirstOrThrow({
      where: { memberId: member.id, orderId: BigInt(order.id), kind: "earn" },
    });
    const orderPoints = earn.points;
    expect(orderPoints).toBeGreaterThan(0);
    const placed = memberEvents(klaviyo(), "Placed Order")[0]!;
    expect(placed.unique_id).toBe(rows.find((r) => r.type === "commerce.placed_order")!.id);
    expect(placed.value).toBe(45);
    expect(placed.value_currency).toBe("USD");
    expect(placed.properties).toMatchObject({
      $value: 45,
      OrderId: String(order.id),
      OrderName: order.name,
      ItemNames: ["Teapot", "Cup"],
      DiscountCodes: ["TEA10"],
      loyalty_points_earned: orderPoints,
    });
    expect((placed.properties.Items as unknown[])[1]).toMatchObject({
      SKU: "CUP-1",
      ProductName: "Cup",
      Quantity: 4,
      ItemPrice: 5,
    });
    const products = memberEvents(klaviyo(), "Ordered Product").map((e) => e.properties);
    expect(products.map((p) => p.ProductName).sort()).toEqual(["Cup", "Teapot"]);
    const refunded = memberEvents(klaviyo(), "Refunded Order")[0]!;
    expect(refunded.value).toBe(10);
    expect(refunded.properties.RefundedItems).toMatchObject([{ ProductName: "Cup", Quantity: 2 }]);
    // The refund took back part of the order's points: the event says what the order keeps.
    expect(refunded.properties.loyalty_points_earned).toBeLessThan(orderPoints);
    expect(memberEvents(klaviyo(), "Cancelled Order")[0]!.properties.Reason).toBe("customer");

    // Omnisend: its recommended events, version v2, on the customer's contact.
    const omnisendCounts = OMNISEND_NAMES.map((n) => omnisend().state.eventsNamed(n).length);
    expect(omnisendCounts).toEqual([1, 2, 1, 1, 1]);
    const placedOmnisend = omnisend().state.eventsNamed("placed order")[0]!;
    expect(placedOmnisend).toMatchObject({ eventVersion: "v2", origin: "api" });
    expect(placedOmnisend.properties).toMatchObject({
      orderID: String(order.id),
      totalPrice: 45,
      currency: "USD",
      loyalty_points_earned: orderPoints,
    });
    expect(omnisend().state.contactById(placedOmnisend.contactID!)?.identifiers[0]?.id).toBe(email);

    // Nothing more on another drain: each fact was sent exactly once.
    const sent = klaviyo().state.events.length + omnisend().state.events.length;
    await drainBoth(shop.id);
    expect(klaviyo().state.events.length + omnisend().state.events.length).toBe(sent);
  });

  it("name a guest by the checkout email, with no customer, and refund them; skip a guest with none", async () => {
    const { shop, store } = await connectedShop("commerce-guest-shop@example.com", true);
    const klaviyoFrom = klaviyo().state.requests.length;
    const guest = store.addPaidOrder(null, [{ title: "Vase", price: "20.00", quantity: 1 }], {
      guestEmail: "guest-buyer@example.com",
    });
    await deliver("orders/paid", guest);
    await deliver("refunds/create", store.refundLineItem(guest, guest.line_items[0]!.id, 1));
    const anonymous = store.addPaidOrder(null, [{ title: "Jug", price: "9.00", quantity: 1 }]);
    await deliver("orders/paid", anonymous);
    await drainBoth(shop.id);

    const rows = await prisma.loyaltyEvent.findMany({
      where: { shopId: shop.id, customerId: null },
      include: { deliveries: true },
      orderBy: { type: "asc" },
    });
    expect(rows.map((r) => [r.type, r.customerId, r.memberId])).toEqual([
      ["commerce.ordered_product", null, null],
      ["commerce.placed_order", null, null],
      ["commerce.refunded_order", null, null],
    ]);
    for (const row of rows) {
      expect(row.deliveries.map((d) => d.state).sort()).toEqual(["delivered", "delivered"]);
    }
    // Klaviyo: on the guest's profile by email (no external id), with no points earned.
    const profile = klaviyo().state.profileHolding("email", "guest-buyer@example.com");
    expect(profile?.external_id ?? null).toBeNull();
    const placed = klaviyo()
      .state.eventsForMetric("Placed Order")
      .filter((e) => e.profile_id === profile?.id);
    expect(placed.map((e) => e.properties)).toMatchObject([
      { OrderId: String(guest.id), loyalty_points_earned: 0 },
    ]);
    const refundedOmnisend = omnisend().state.eventsNamed("order refunded").at(-1)!;
    expect(omnisend().state.contactById(refundedOmnisend.contactID!)?.identifiers[0]?.id).toBe(
      "guest-buyer@example.com",
    );
    expect(refused(klaviyo().state.requests, klaviyoFrom)).toEqual([]);
    // A guest order earns no points and makes no member.
    expect(await prisma.member.count({ where: { email: "guest-buyer@example.com" } })).toBe(0);

    // GDPR: a redaction naming the order clears the guest's contact from its events.
    await deliver("customers/redact", {
      shop_id: 1,
      shop_domain: shop.domain,
      customer: { id: 999_000_001, email: "guest-buyer@example.com" },
      orders_to_redact: [guest.id],
    });
    const after = await prisma.loyaltyEvent.findMany({
      where: { shopId: shop.id, customerId: null },
    });
    expect(after.map((r) => r.snapshot)).toEqual(
      after.map(() => ({ email: null, phone: null, first_name: null, last_name: null })),
    );
  });

  it("records no Refunded Order for an order never seen paid", async () => {
    const { shop, customer, store } = await connectedShop("commerce-unseen@example.com", true);
    const unseen = store.addPaidOrder(customer, [{ title: "Bowl", price: "12.00", quantity: 1 }]);
    const refund = store.refundLineItem(unseen, unseen.line_items[0]!.id, 1);
    await deliver("refunds/create", refund);
    expect(await commerceRows(shop.id, customer.id)).toEqual([]);
  });
});
