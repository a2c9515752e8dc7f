// Child of `npm run bench -- import`: a simulated store of N customers and M orders (a year of
// history, one in five orders partly refunded), exported by the Shopify stand-in's bulk
// operations with the app's own two queries, the result files written to <dir>.
// Usage: produce.ts <dir> <customers> <orders>
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { CUSTOMERS_BULK_QUERY, ordersBulkQuery } from "../../app/integrations/shopify/bulk.server";
import { runBulkQuery } from "../../sandbox/shopify/admin-graphql/bulk/testing";
import { createTestAdminApi } from "../../sandbox/shopify/admin-graphql/testing";

const [dir, customersArg, ordersArg] = process.argv.slice(2);
const customers = Number(customersArg);
const orders = Number(ordersArg);
const DAY = 86_400_000;

const api = createTestAdminApi({ bucket: { maxAvailable: 1_000_000_000, restoreRate: 1_000_000 } });
const { store } = api;
const now = api.now().getTime();
const people = Array.from({ length: customers }, (_, i) =>
  store.addCustomer({
    email: i % 50 === 49 ? null : `shopper${i}@example.com`,
    first_name: `S${i}`,
  }),
);
for (let n = 0; n < orders; n += 1) {
  const at = new Date(now - ((n * 7919) % 360) * DAY - 3_600_000);
  const order = store.addPaidOrder(
    people[n % customers]!,
    [
      { title: `Product ${n % 40}`, price: `${10 + (n % 90)}.00`, quantity: 1 + (n % 2) },
      { title: `Product ${(n + 7) % 40}`, price: "12.50", quantity: 1 },
    ],
    { at, processedAt: at },
  );
  if (n % 5 === 0)
    store.refundLineItem(order, order.line_items[1]!.id, 1, new Date(at.getTime() + DAY));
}

const since = new Date(now - 365 * DAY);
for (const [name, query] of [
  ["customers", CUSTOMERS_BULK_QUERY],
  ["orders", ordersBulkQuery(since)],
] as const) {
  const { userErrors } = await runBulkQuery(api.gql, query, true);
  if (userErrors.length > 0) throw new Error(JSON.stringify(userErrors));
  const [done] = await store.adminApi.bulk.completeAll();
  if (!done?.url) throw new Error(`${name}: the bulk operation ended ${done?.status}`);
  const response = await api.fetch(done.url);
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream),
    fs.createWriteStream(path.join(dir!, `${name}.jsonl`)),
  );
}
store.adminApi.bulk.dispose();
console.info(JSON.stringify({ customers, orders }));
