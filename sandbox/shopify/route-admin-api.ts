import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Sends the app's outbound calls for the sandbox shop (Admin GraphQL, token exchange) to the
 * stand-in instead of https://<shop>.myshopify.com. This swaps shopify-api's fetch, the hook the
 * library offers for runtimes; the app's own code is untouched. Everything else goes out as usual.
 */
export function routeShopToStandIn(shopDomain: string, standInUrl: string) {
  const nativeFetch = globalThis.fetch;
  setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== shopDomain) return nativeFetch(input, init);
    const target = new URL(url.pathname + url.search, standInUrl);
    if (input instanceof Request) return nativeFetch(new Request(target, input));
    return nativeFetch(target, init);
  });
}
