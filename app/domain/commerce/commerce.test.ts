import { describe, expect, it } from "vitest";
import {
  CommerceOrderPayload,
  klaviyoCommerceEvent,
  omnisendCommerceEvent,
  parsePixelBody,
  PIXEL_LIMITS,
  pixelFact,
  pixelVerdict,
  placedOrderFacts,
  refundAmount,
  refundedOrderFacts,
  type CommerceFact,
} from "./index";

const NOW = new Date("2026-12-07T12:00:00Z");

const order = (customer: unknown = { id: 77, email: "ada@example.com", phone: null }) =>
  CommerceOrderPayload.parse({
    id: 1001,
    name: "#1001",
    email: "ada@example.com",
    currency: "EUR",
    total_price: "47.50",
    subtotal_price: "45.00",
    total_discounts: "5.00",
    created_at: "2026-12-07T10:00:00Z",
    processed_at: "2026-12-07T10:00:05Z",
    discount_codes: [{ code: "TEA10", amount: "5.00" }],
    line_items: [
      { id: 1, product_id: 10, variant_id: 100, title: "Teapot", quantity: 1, price: "30.00" },
      {
        id: 2,
        product_id: 20,
        variant_id: 200,
        title: "Cup",
        sku: "CUP",
        quantity: 4,
        price: "5.00",
        total_discount: "2.00",
      },
    ],
    customer,
  });

const stored = (fact: CommerceFact, id = "5d0b3a52-0d6c-5c2e-9d55-0c0c2f0f4c11") => ({
  id,
  type: `commerce.${fact.kind}`,
  customerId: fact.customerId,
  occurredAt: fact.occurredAt,
  payload: JSON.parse(JSON.stringify(fact.payload)) as unknown,
  snapshot: fact.contact,
});

describe("order facts", () => {
  it("are Placed Order and one Ordered Product per line, keyed by order and line", () => {
    const facts = placedOrderFacts(order(), 12, NOW);
    expect(facts.map((f) => [f.kind, f.key])).toEqual([
      ["placed_order", "order:1001:placed"],
      ["ordered_product", "order:1001:line:1"],
      ["ordered_product", "order:1001:line:2"],
    ]);
    expect(facts[0]!.occurredAt.toISOString()).toBe("2026-12-07T10:00:05.000Z");
  });

  it("name a guest by the checkout's email, with no customer id, as the platforms' integrations do", () => {
    const facts = placedOrderFacts(order(null), 0, NOW);
    expect(facts.map((f) => f.kind)).toEqual([
      "placed_order",
      "ordered_product",
      "ordered_product",
    ]);
    expect(facts[0]).toMatchObject({ customerId: null, contact: { email: "ada@example.com" } });
    const event = klaviyoCommerceEvent(stored(facts[0]!));
    expect(event.profile).toEqual({ email: "ada@example.com" });
    expect(omnisendCommerceEvent(stored(facts[0]!))?.contact).toEqual({ email: "ada@example.com" });
  });

  it("are none for a guest order with neither email nor phone: no profile to send them to", () => {
    const anonymous = CommerceOrderPayload.parse({ ...order(null), email: null, phone: null });
    expect(placedOrderFacts(anonymous, 0, NOW)).toEqual([]);
  });

  it("need the placed order to name a refund's customer", () => {
    const refund = {
      id: "9",
      created_at: "2026-12-08T10:00:00Z",
      refund_line_items: [{ line_item_id: "2", quantity: 2 }],
      transactions: [
        { amount: "10.00", kind: "refund", status: "success" },
        { amount: "3.00", kind: "refund", status: "failure" },
      ],
    };
    expect(refundAmount(refund)).toBe("10.00");
    expect(refundedOrderFacts(refund, null, 0, NOW)).toEqual([]);
  });
});

describe("platform mapping", () => {
  it("gives Klaviyo the metric, value and items of its Shopify integration, plus the points", () => {
    const [placed, , cup] = placedOrderFacts(order(), 12, NOW);
    const event = klaviyoCommerceEvent(stored(placed!));
    expect(event).toMatchObject({
      metric: "Placed Order",
      value: 47.5,
      valueCurrency: "EUR",
      uniqueId: "5d0b3a52-0d6c-5c2e-9d55-0c0c2f0f4c11",
      profile: { email: "ada@example.com" },
      properties: {
        $value: 47.5,
        OrderId: "1001",
        ItemNames: ["Teapot", "Cup"],
        DiscountCodes: ["TEA10"],
        loyalty_points_earned: 12,
      },
    });
    const line = klaviyoCommerceEvent(stored(cup!));
    expect(line.metric).toBe("Ordered Product");
    expect(line.value).toBe(18);
    expect(line.properties).toMatchObject({ ProductName: "Cup", SKU: "CUP", Quantity: 4 });
  });

  it("gives Omnisend its recommended event, or nothing without email or phone", () => {
    const [placed] = placedOrderFacts(order(), 12, NOW);
    expect(omnisendCommerceEvent(stored(placed!))).toMatchObject({
      eventName: "placed order",
      eventVersion: "v2",
      origin: "api",
      contact: { email: "ada@example.com" },
      properties: { orderID: "1001", totalPrice: 47.5, currency: "EUR", loyalty_points_earned: 12 },
    });
    const [anonymous] = placedOrderFacts(
      order({ id: 78, email: null, phone: "not a phone" }),
      0,
      NOW,
    );
    const withoutOrderEmail = { ...anonymous!, contact: { ...anonymous!.contact, email: null } };
    expect(omnisendCommerceEvent(stored(withoutOrderEmail))).toBeNull();
  });
});

describe("pixel bodies", () => {
  const body = {
    shopId: "5fe90a7b-9b07-45be-ad5c-78b2ec7eb3e9",
    shopDomain: "test-shop.myshopify.com",
    clientId: "c1",
    eventId: "e1",
    timestamp: "2026-12-07T10:00:00.000Z",
    customerId: "77",
    customerEmail: "ada@example.com",
    name: "page_viewed",
    sessionId: "s1",
    url: "https://test-shop.example/",
  };

  it("accept exactly one known event and nothing more", () => {
    expect(parsePixelBody(JSON.stringify(body))).toMatchObject({ name: "page_viewed" });
    expect(parsePixelBody(JSON.stringify({ ...body, extra: 1 }))).toBeNull();
    expect(parsePixelBody(JSON.stringify({ ...body, name: "cart_viewed" }))).toBeNull();
    expect(parsePixelBody(JSON.stringify({ ...body, shopDomain: "evil.example.com" }))).toBeNull();
    expect(parsePixelBody(JSON.stringify({ ...body, url: "data:text/html,x" }))).toBeNull();
    expect(parsePixelBody(JSON.stringify({ ...body, customerEmail: "not an email" }))).toBeNull();
    expect(parsePixelBody("{")).toBeNull();
  });

  it("key Active on Site by the session, so a session records it once", () => {
    const parsed = parsePixelBody(JSON.stringify(body))!;
    const contact = { email: "a@b.c", phone: null, first_name: null, last_name: null };
    const again = parsePixelBody(JSON.stringify({ ...body, eventId: "e2" }))!;
    expect(pixelFact(parsed, "77", contact).key).toBe(pixelFact(again, "77", contact).key);
  });

  it("limit per window: the limit-th request passes, the next waits for the window's end", () => {
    const start = new Date("2026-12-07T10:00:00Z");
    const now = new Date("2026-12-07T10:00:45Z");
    const limit = PIXEL_LIMITS.client.limit;
    expect(pixelVerdict("client", limit, start, now)).toEqual({ allowed: true });
    expect(pixelVerdict("client", limit + 1, start, now)).toEqual({
      allowed: false,
      retryAfterSeconds: 15,
    });
  });
});
