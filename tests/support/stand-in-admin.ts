import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { createTestAdminApi } from "../../sandbox/shopify/admin-graphql/testing";
import type { SandboxStore } from "../../sandbox/shopify/store";

/** The app's Admin API client shape, answered by the Shopify stand-in over `store`. */
export function standInAdmin(store: SandboxStore): AdminGraphql {
  const api = createTestAdminApi({ store });
  return {
    graphql: async (query, options) =>
      new Response(JSON.stringify((await api.gql(query, options?.variables ?? {})).body)),
  };
}
