import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader } from "~/routes/app.settings.earning";
import { createTestAdminApi } from "../../../sandbox/shopify/admin-graphql/testing";
import { adminRequest, callLoader, dataOf, installTestShop } from "../../support/admin";
import { newStore } from "../../support/deliveries";
import { TEST_SHOP } from "../../support/webhooks";

// The earning page offers the store's collections (from the Admin API, here the stand-in over
// `store`) to exclude by title; when Shopify cannot list them the page still loads.

const store = newStore();
const nativeFetch = globalThis.fetch;
let shopifyUp = true;

beforeAll(async () => {
  await installTestShop();
  const api = createTestAdminApi({ store, accessTokens: () => new Set(["shpat_test"]) });
  setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).hostname !== TEST_SHOP) return nativeFetch(request);
    if (!shopifyUp) return new Response("Service unavailable", { status: 503 });
    return api.handler(request);
  });
});

afterAll(() => setAbstractFetchFunc(nativeFetch));

const load = async () =>
  dataOf(await callLoader(loader, await adminRequest("/app/settings/earning")));

describe("earning settings: excluded collections", () => {
  it("lists the store's collections by title with their ids", async () => {
    const wrapping = store.addCollection("Wrapping");
    const sale = store.addCollection("Final sale");
    const page = await load();
    expect(page.collections).toEqual({
      collections: [
        { id: String(sale.id), title: "Final sale" },
        { id: String(wrapping.id), title: "Wrapping" },
      ],
      truncated: false,
    });
  });

  it("loads without the list when Shopify does not answer", async () => {
    shopifyUp = false;
    try {
      const page = await load();
      expect(page.collections).toBeNull();
      expect(page.config.earning.excludedCollectionIds).toEqual([]);
    } finally {
      shopifyUp = true;
    }
  });
});
