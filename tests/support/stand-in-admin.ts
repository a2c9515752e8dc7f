import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { createTestAdminApi } from "../../sandbox/shopify/admin-graphql/testing";
import type { SandboxStore } from "../../sandbox/shopify/store";

/**
 * The app's Admin API client shape, answered by the Shopify stand-in over `store` with the
 * stand-in's HTTP status (an injected http500 fault is a 500). `onRequest` sees each document.
 */
export function standInAdmin(
  store: SandboxStore,
  onRequest?: (query: string) => void,
): AdminGraphql {
  const api = createTestAdminApi({ store });
  return {
    graphql: async (query, options) => {
      onRequest?.(query);
      const reply = await api.gql(query, options?.variables ?? {});
      return new Response(JSON.stringify(reply.body), { status: reply.status });
    },
  };
}
