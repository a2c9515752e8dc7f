import { goodsSpendMinor, refundedGoodsMinor, type OrderForEarning } from "~/domain/earning";
import { toMinorUnits } from "~/domain/money";
import { legacyId } from "./order.server";

// The lines of the history bulk results (bulk.server.ts) as the app keeps customers and orders.
// With groupObjects a nested connection's nodes follow their parent, each with `__parentId`, so
// an object is complete when the next top-level object starts (or the file ends).

export interface HistoryCustomer {
  customerId: bigint;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  accountRegistered: boolean;
  /** When the customer was created in Shopify (an account cannot be registered before). */
  createdAt: Date | null;
  /** Store credit balances, one per currency, minor units. */
  storeCredit: { amountMinor: number; currency: string }[];
}

export interface HistoryOrder {
  orderId: bigint;
  name: string | null;
  paidAt: Date;
  /** Shopify's updatedAt: a stored order is only ever replaced by a newer version. */
  version: Date;
  cancelledAt: Date | null;
  currency: string;
  customerId: bigint | null;
  earning: OrderForEarning;
  /**
   * The order's refunds, each with the goods it gave back (the tier spend basis). A bulk result
   * has no refund lines, so the goods of all the units given back are shared among the refunds by
   * the money each returned: the order's spend after its refunds is exact, each refund's date kept.
   */
  refunds: { refundId: bigint; createdAt: Date; goodsMinor: number }[];
}

/** A line that is not an object of the result: what the report says of it. */
export class MalformedLine extends Error {}

type Json = Record<string, unknown>;

const money = (value: unknown) =>
  ((value as { shopMoney?: { amount?: string } } | null)?.shopMoney?.amount ?? "0") as string;

/**
 * Groups the result's lines into objects: `push` takes one parsed line and returns the objects
 * the line completed (the previous top-level one); `finish` returns the last.
 */
export class BulkObjects {
  private current: { root: Json; children: Json[] } | null = null;

  push(value: Json): { root: Json; children: Json[] }[] {
    if (typeof value.__parentId === "string") {
      if (!this.current) throw new MalformedLine("a nested line before any object");
      this.current.children.push(value);
      return [];
    }
    const done = this.current ? [this.current] : [];
    this.current = { root: value, children: [] };
    return done;
  }

  finish() {
    const done = this.current ? [this.current] : [];
    this.current = null;
    return done;
  }
}

export function parseLine(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedLine("not JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new MalformedLine("not an object");
  }
  return value as Json;
}

export function customerOf(object: { root: Json; children: Json[] }): HistoryCustomer {
  const { root } = object;
  if (typeof root.id !== "string") throw new MalformedLine("a customer without an id");
  return {
    customerId: BigInt(legacyId(root.id)),
    email: (root.email as string | null) ?? null,
    phone: (root.phone as string | null) ?? null,
    firstName: (root.firstName as string | null) ?? null,
    lastName: (root.lastName as string | null) ?? null,
    accountRegistered: root.state === "ENABLED",
    createdAt: typeof root.createdAt === "string" ? new Date(root.createdAt) : null,
    storeCredit: object.children
      .filter((child) => typeof child.balance === "object" && child.balance !== null)
      .map((child) => {
        const balance = child.balance as { amount: string; currencyCode: string };
        return {
          amountMinor: toMinorUnits(balance.amount, balance.currencyCode),
          currency: balance.currencyCode,
        };
      }),
  };
}

export function orderOf(object: { root: Json; children: Json[] }): HistoryOrder {
  const { root, children } = object;
  if (typeof root.id !== "string") throw new MalformedLine("an order without an id");
  if (typeof root.currencyCode !== "string") throw new MalformedLine("an order without a currency");
  const currency = root.currencyCode;
  const minor = (amount: string) => toMinorUnits(amount, currency);
  const refunds = ((root.refunds as Json[] | undefined) ?? []).map((refund) => ({
    refundId: BigInt(legacyId(refund.id as string)),
    createdAt: new Date(refund.createdAt as string),
    amountMinor: minor(money(refund.totalRefundedSet)),
  }));
  const lineItems = children.filter((child) => child.__parentId === root.id);
  const lineOf = (line: Json, quantity: number) => ({
    lineItemId: legacyId(line.id as string),
    productId: (line.product as { id?: string } | null)?.id
      ? legacyId((line.product as { id: string }).id)
      : null,
    collectionIds: [],
    quantity,
    unitPriceMinor: minor(money(line.originalUnitPriceSet)),
    discountMinor: minor(money(line.totalDiscountSet)),
    giftCard: Boolean(line.isGiftCard),
  });
  // Without refunds, units missing from currentQuantity were removed by an edit: never bought.
  // With refunds they count as given back (an edit after payment refunds too).
  const lines = lineItems.map((line) =>
    lineOf(line, refunds.length > 0 ? (line.quantity as number) : (line.currentQuantity as number)),
  );
  const customer = root.customer as { id?: string } | null;
  const earning = {
    currency,
    lines,
    shippingMinor: minor(money(root.totalShippingPriceSet)),
    taxMinor: minor(money(root.totalTaxSet)),
    orderLevelDiscountMinor: 0,
  };
  return {
    orderId: BigInt(legacyId(root.id)),
    name: (root.name as string | null) ?? null,
    paidAt: new Date((root.processedAt ?? root.createdAt) as string),
    version: new Date((root.updatedAt ?? root.processedAt ?? root.createdAt) as string),
    cancelledAt: root.cancelledAt ? new Date(root.cancelledAt as string) : null,
    currency,
    customerId: customer?.id ? BigInt(legacyId(customer.id)) : null,
    earning,
    refunds: shareRefundedGoods(
      refunds,
      refundedGoods(earning, lineItems, minor(money(root.totalRefundedShippingSet))),
    ),
  };
}

/**
 * Goods the order's refunds gave back: the units missing from each line's currentQuantity, after
 * their share of the line's discount; for refunds that gave back no unit (goodwill), the money
 * returned less refunded shipping, never more than the goods.
 */
function refundedGoods(
  earning: OrderForEarning,
  lineItems: Json[],
  refundedShippingMinor: number,
): (refundedMoneyMinor: number) => number {
  const units = lineItems.map((line) => ({
    lineItemId: legacyId(line.id as string),
    quantity: (line.quantity as number) - (line.currentQuantity as number),
  }));
  const byUnits = refundedGoodsMinor(earning, {
    lines: units.filter((unit) => unit.quantity > 0),
    amountMinor: 0,
  });
  return (refundedMoneyMinor) =>
    byUnits > 0
      ? byUnits
      : Math.min(goodsSpendMinor(earning), Math.max(0, refundedMoneyMinor - refundedShippingMinor));
}

/** The goods given back shared among the refunds by the money each returned (the last takes the rest). */
function shareRefundedGoods(
  refunds: { refundId: bigint; createdAt: Date; amountMinor: number }[],
  goodsFor: (refundedMoneyMinor: number) => number,
): HistoryOrder["refunds"] {
  const money = refunds.reduce((sum, refund) => sum + Math.max(0, refund.amountMinor), 0);
  const goods = goodsFor(money);
  let left = goods;
  return [...refunds]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((refund, index, sorted) => {
      const last = index === sorted.length - 1;
      // No money returned at all (e.g. fully discounted units): the first refund takes the goods.
      const share = last
        ? left
        : money === 0
          ? index === 0
            ? goods
            : 0
          : Math.floor((goods * Math.max(0, refund.amountMinor)) / money);
      const taken = Math.min(left, share);
      left -= taken;
      return { refundId: refund.refundId, createdAt: refund.createdAt, goodsMinor: taken };
    });
}
