import type { OrderForEarning } from "~/domain/earning";
import { toMinorUnits } from "~/domain/money";
import { runAdminQuery, type AdminGraphql } from "./admin-client.server";

// The orders/edited webhook carries only an `order_edit` (which line items were added/removed by
// how many), no prices or totals, so the edited order is read back from the Admin API.
// https://shopify.dev/docs/api/admin-graphql/latest/queries/order
const ORDER_FOR_LOYALTY = `#graphql
  query OrderForLoyalty($id: ID!) {
    order(id: $id) {
      id
      name
      updatedAt
      processedAt
      currencyCode
      customer {
        id
        email
        phone
        firstName
        lastName
      }
      totalTaxSet {
        shopMoney {
          amount
        }
      }
      totalShippingPriceSet {
        shopMoney {
          amount
        }
      }
      lineItems(first: 100) {
        nodes {
          id
          currentQuantity
          isGiftCard
          product {
            id
          }
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
          totalDiscountSet {
            shopMoney {
              amount
            }
          }
        }
      }
      refunds(first: 10) {
        refundLineItems(first: 30) {
          nodes {
            quantity
            lineItem {
              id
            }
          }
        }
      }
    }
  }`;

interface Money {
  shopMoney: { amount: string };
}

interface OrderNode {
  id: string;
  name: string;
  updatedAt: string;
  processedAt: string | null;
  currencyCode: string;
  customer: {
    id: string;
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
  } | null;
  totalTaxSet: Money;
  totalShippingPriceSet: Money;
  lineItems: {
    nodes: {
      id: string;
      currentQuantity: number;
      isGiftCard: boolean;
      product: { id: string } | null;
      originalUnitPriceSet: Money;
      totalDiscountSet: Money;
    }[];
  };
  refunds: {
    refundLineItems: { nodes: { quantity: number; lineItem: { id: string } }[] };
  }[];
}

/** The order as Shopify holds it now, in the shapes the engine stores from orders/paid. */
export interface FetchedOrder {
  orderId: string;
  name: string;
  /** Shopify's updatedAt: a stored order is only ever replaced by a newer version. */
  version: Date;
  currency: string;
  customer: {
    id: string;
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
  } | null;
  earning: OrderForEarning;
}

/** "gid://shopify/LineItem/123" → "123": webhooks (refunds, orders/paid) use the numeric ids. */
export function legacyId(gid: string): string {
  const id = /\/(\d+)$/.exec(gid)?.[1];
  if (!id) throw new RangeError(`not a Shopify global id: "${gid}"`);
  return id;
}

/**
 * Reads the order for earning, or null when Shopify no longer has it. Line quantities are what
 * was ordered after edits but before refunds (currentQuantity excludes both, so refunded units are
 * added back): refunds are facts of their own and are clawed back from these quantities.
 */
export async function fetchOrderForLoyalty(
  admin: AdminGraphql,
  orderId: string,
): Promise<FetchedOrder | null> {
  const data = await runAdminQuery<{ order: OrderNode | null }>(
    admin,
    "OrderForLoyalty",
    ORDER_FOR_LOYALTY,
    { id: `gid://shopify/Order/${orderId}` },
  );
  const order = data.order;
  if (!order) return null;
  const currency = order.currencyCode;
  const minor = (money: Money) => toMinorUnits(money.shopMoney.amount, currency);
  const refunded = new Map<string, number>();
  for (const line of order.refunds.flatMap((r) => r.refundLineItems.nodes)) {
    const id = legacyId(line.lineItem.id);
    refunded.set(id, (refunded.get(id) ?? 0) + line.quantity);
  }
  return {
    orderId: legacyId(order.id),
    name: order.name,
    version: new Date(order.updatedAt),
    currency,
    customer: order.customer && { ...order.customer, id: legacyId(order.customer.id) },
    earning: {
      currency,
      lines: order.lineItems.nodes.map((line) => {
        const lineItemId = legacyId(line.id);
        return {
          lineItemId,
          productId: line.product ? legacyId(line.product.id) : null,
          collectionIds: [],
          quantity: line.currentQuantity + (refunded.get(lineItemId) ?? 0),
          unitPriceMinor: minor(line.originalUnitPriceSet),
          discountMinor: minor(line.totalDiscountSet),
          giftCard: line.isGiftCard,
        };
      }),
      shippingMinor: minor(order.totalShippingPriceSet),
      taxMinor: minor(order.totalTaxSet),
      orderLevelDiscountMinor: 0,
    },
  };
}
