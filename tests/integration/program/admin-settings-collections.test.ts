import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action, loader } from "~/routes/app.settings.earning";
import { createTestAdminApi } from "../../../sandbox/shopify/admin-graphql/testing";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { newStore } from "../../support/deliveries";
import { TEST_SHOP } from "../../support/webhooks";

// The earning page's excluded products and collections are chosen with the resource picker, which
// stores ids: the page names them by title, read from the Admin API (here the stand-in over
// `store`); one Shopify no longer has is left for the page to name by id, and when Shopify does
// not answer the page still loads.

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

const PATH = "/app/settings/earning";
const load = async () => dataOf(await callLoader(loader, await adminRequest(PATH)));

describe("earning settings: excluded products and collections by title", () => {
  it("names the picked products and collections by title; a deleted one is left out", async () => {
    const wrapping = store.addCollection("Wrapping");
    const sale = store.addCollection("Final sale");
    const gone = store.addCollection("Summer 2024");
    const wrap = store.product("Gift wrap");
    const page = await load();
    expect(page.collectionTitles).toEqual({});
    expect(page.productTitles).toEqual({});

    // GIVEN the merchant picked two collections, one since deleted in Shopify, and a product
    const draft = {
      earning: {
        ...page.config.earning,
        excludedProductIds: [String(wrap.id)],
        excludedCollectionIds: [String(sale.id), String(wrapping.id), String(gone.id)],
      },
      refunds: page.config.refunds,
    };
    const saved = await callRouteAction(
      action,
      await adminRequest(PATH, { draft: JSON.stringify(draft) }),
    );
    expect(saved.ok).toBe(true);
    store.collections.delete(gone.id);

    // WHEN the page loads THEN each is named by its title, the deleted one by nothing
    const after = await load();
    expect(after.config.earning.excludedCollectionIds).toEqual([
      String(sale.id),
      String(wrapping.id),
      String(gone.id),
    ]);
    expect(after.collectionTitles).toEqual({
      [String(sale.id)]: "Final sale",
      [String(wrapping.id)]: "Wrapping",
    });
    expect(after.productTitles).toEqual({ [String(wrap.id)]: "Gift wrap" });
  });

  it("loads without titles when Shopify does not answer", async () => {
    shopifyUp = false;
    try {
      const page = await load();
      expect(page.collectionTitles).toEqual({});
      expect(page.productTitles).toEqual({});
      expect(page.config.earning.excludedCollectionIds).toHaveLength(3);
    } finally {
      shopifyUp = true;
    }
  });
});
