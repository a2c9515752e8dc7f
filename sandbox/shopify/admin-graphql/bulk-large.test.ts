import { afterEach, describe, expect, it } from "vitest";
import { jsonlLines, runBulkQuery } from "./bulk/testing";
import { createTestAdminApi } from "./testing";

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

describe("bulk operations on a large store", () => {
  it("streams 20,000 orders (60,000 lines) without holding the file in memory", async () => {
    // GIVEN 2,000 customers with 10 orders of two lines each
    const api = createTestAdminApi();
    dispose = () => api.store.adminApi.bulk.dispose();
    const day = 24 * 3600 * 1000;
    const start = api.now().getTime() - 365 * day;
    for (let c = 0; c < 2_000; c++) {
      const customer = api.store.addCustomer({ email: `c${c}@example.com` });
      for (let o = 0; o < 10; o++) {
        api.store.addPaidOrder(
          customer,
          [
            { title: "Mug", price: "10.00", quantity: 1, productId: 1 },
            { title: "Tea", price: "4.50", quantity: 2, productId: 2 },
          ],
          { at: new Date(start + (c * 10 + o) * 1_000) },
        );
      }
    }

    // WHEN a year of orders is exported
    const query = `{ orders(query: "processed_at:>=2025-11-01") { edges { node {
      id name processedAt customer { id } totalPriceSet { shopMoney { amount currencyCode } }
      lineItems { edges { node { id quantity originalUnitPriceSet { shopMoney { amount } } } } } } } } }`;
    const started = performance.now();
    const { userErrors } = await runBulkQuery(api.gql, query);
    const [done] = await api.store.adminApi.bulk.completeAll();
    const producedMs = performance.now() - started;

    // THEN every order and line is in the file, read back as a stream
    expect(userErrors).toEqual([]);
    expect(done).toMatchObject({
      status: "COMPLETED",
      objectCount: 60_000,
      rootObjectCount: 20_000,
    });
    let lines = 0;
    let children = 0;
    for await (const line of jsonlLines(await api.fetch(done!.url!))) {
      lines += 1;
      if (line.__parentId) children += 1;
    }
    expect([lines, children]).toEqual([60_000, 40_000]);
    // AND no more than one batch of results was ever held in memory
    expect(done!.peakBufferedBytes).toBeLessThan(done!.fileSize! / 20);
    console.info(
      `bulk export: ${Math.round(producedMs)} ms for 20,000 orders, ` +
        `${(done!.fileSize! / 1e6).toFixed(1)} MB, peak ${(done!.peakBufferedBytes / 1e3).toFixed(0)} kB buffered`,
    );
    expect(producedMs).toBeLessThan(20_000);
  });
});
