import { runAdminQuery, type AdminGraphql } from "./admin-client.server";

// Shopify Bulk Operations (https://shopify.dev/docs/api/usage/bulk-operations/queries): a query
// run in the background over a whole store, its result a JSONL file at `url` (kept 7 days), each
// node of a nested connection on a line of its own with `__parentId`. Completion comes with the
// `bulk_operations/finish` webhook; polling the operation is the fallback.

const RUN_BULK_QUERY = `#graphql
  mutation LoyaltyRunBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }`;

const BULK_OPERATION = `#graphql
  query LoyaltyBulkOperation($id: ID!) {
    node(id: $id) {
      ... on BulkOperation {
        id
        status
        errorCode
        objectCount
        rootObjectCount
        url
        partialDataUrl
        completedAt
      }
    }
  }`;

/** Every customer, with what the app keeps of them and their store credit balances. */
export const CUSTOMERS_BULK_QUERY = `#graphql
  query LoyaltyHistoryCustomers {
    customers {
      edges {
        node {
          id
          email
          phone
          firstName
          lastName
          state
          createdAt
          storeCreditAccounts {
            edges {
              node {
                id
                balance {
                  amount
                  currencyCode
                }
              }
            }
          }
        }
      }
    }
  }`;

/**
 * The orders processed since a day (the spend and points windows), in the shapes the engine
 * stores from orders/paid and refunds/create. A bulk query cannot read a connection inside a list
 * (refunds are a list), so refunds come without their lines: each line's `quantity` (as ordered)
 * and `currentQuantity` (after refunds and edits) say what was given back (history-lines.ts).
 * The day is put in place of `SINCE_DAY` by ordersBulkQuery: the document stays static, so the
 * contract test validates it.
 */
const ORDERS_BULK_QUERY = `#graphql
  query LoyaltyHistoryOrders {
    orders(query: "processed_at:>=SINCE_DAY", sortKey: PROCESSED_AT) {
      edges {
        node {
          id
          name
          createdAt
          updatedAt
          processedAt
          cancelledAt
          currencyCode
          customer {
            id
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
          totalRefundedShippingSet {
            shopMoney {
              amount
            }
          }
          lineItems {
            edges {
              node {
                id
                quantity
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
          }
          refunds {
            id
            createdAt
            totalRefundedSet {
              shopMoney {
                amount
              }
            }
          }
        }
      }
    }
  }`;

export function ordersBulkQuery(since: Date) {
  return ORDERS_BULK_QUERY.replace("SINCE_DAY", since.toISOString().slice(0, 10));
}

export type BulkStatus =
  "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";

export interface BulkOperationState {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  url: string | null;
  partialDataUrl: string | null;
}

/** Shopify refused to start the operation (another one running, a query it does not accept). */
export class BulkQueryRefused extends Error {
  constructor(
    readonly codes: string[],
    message: string,
  ) {
    super(message);
    this.name = "BulkQueryRefused";
  }

  /** Shopify's limit on operations running at once: wait and start it again. */
  get busy() {
    return this.codes.some((code) => code === "OPERATION_IN_PROGRESS" || code === "LIMIT_REACHED");
  }
}

export async function runBulkQuery(admin: AdminGraphql, query: string): Promise<string> {
  const data = await runAdminQuery<{
    bulkOperationRunQuery: {
      bulkOperation: { id: string; status: BulkStatus } | null;
      userErrors: { field: string[] | null; message: string; code: string | null }[];
    };
  }>(admin, "LoyaltyRunBulkQuery", RUN_BULK_QUERY, { query });
  const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
  if (!bulkOperation || userErrors.length > 0) {
    throw new BulkQueryRefused(
      userErrors.map((e) => e.code ?? "UNKNOWN"),
      userErrors.map((e) => e.message).join("; ") || "Shopify did not start the bulk operation",
    );
  }
  return bulkOperation.id;
}

export async function readBulkOperation(
  admin: AdminGraphql,
  id: string,
): Promise<BulkOperationState | null> {
  const data = await runAdminQuery<{
    node:
      | (Omit<BulkOperationState, "objectCount" | "rootObjectCount"> & {
          objectCount: string;
          rootObjectCount: string;
        })
      | null;
  }>(admin, "LoyaltyBulkOperation", BULK_OPERATION, { id });
  if (!data.node) return null;
  return {
    ...data.node,
    // UnsignedInt64 travels as a string.
    objectCount: Number(data.node.objectCount),
    rootObjectCount: Number(data.node.rootObjectCount),
  };
}

/**
 * The lines of a bulk result from line `from` (1-based) on, read from the stream: the file is
 * never held whole (a store's orders can be gigabytes). A line is yielded with its number.
 */
export async function* bulkResultLines(
  url: string,
  from = 1,
  fetchFile: typeof fetch = fetch,
): AsyncGenerator<{ line: number; text: string }> {
  const response = await fetchFile(url);
  if (!response.ok || !response.body) {
    throw new Error(`bulk result: HTTP ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let line = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += value;
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      line += 1;
      if (line >= from && text.trim() !== "") yield { line, text };
      newline = buffered.indexOf("\n");
    }
    if (done) break;
  }
  if (buffered.trim() !== "") {
    line += 1;
    if (line >= from) yield { line, text: buffered };
  }
}
