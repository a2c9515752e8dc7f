import { runAdminQuery, type AdminGraphql } from "./admin-client.server";
import { legacyId } from "./order.server";

// Order webhooks name each line's product but not its collections; the Admin API has them.
// https://shopify.dev/docs/api/admin-graphql/latest/queries/nodes
// https://shopify.dev/docs/api/admin-graphql/latest/objects/Product#connection-collections
//
// Sizes keep the query cheap even if Shopify charged the `nodes` list per id (not confirmed):
// 25 products × (1 + 2 + 25 collections) = 700 points, under the 1,000-point query cap. Most
// orders name fewer than 25 products, so one request per order. (The documents below are not
// interpolated, so the contract test can check them: `first: 25` is written out.)
export const PRODUCTS_PER_QUERY = 25;

const PRODUCT_COLLECTIONS = `#graphql
  query ProductCollections($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        collections(first: 25) {
          nodes {
            id
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }`;

// A product in more collections than one page holds is read on, page by page.
const MORE_PRODUCT_COLLECTIONS = `#graphql
  query MoreProductCollections($id: ID!, $after: String!) {
    product(id: $id) {
      collections(first: 25, after: $after) {
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }`;

interface CollectionPage {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Product id → the ids of every collection it is in (numeric ids, as webhooks carry them). A
 * product Shopify no longer has is in no collection. Throws (ShopifyGraphqlError,
 * ShopifyHttpError) when Shopify does not answer with data, so nothing is ever guessed.
 */
export async function fetchProductCollections(
  admin: AdminGraphql,
  productIds: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>(productIds.map((id) => [id, []]));
  for (let start = 0; start < productIds.length; start += PRODUCTS_PER_QUERY) {
    const batch = productIds.slice(start, start + PRODUCTS_PER_QUERY);
    const data = await runAdminQuery<{
      nodes: ({ id?: string; collections?: CollectionPage } | null)[];
    }>(admin, "ProductCollections", PRODUCT_COLLECTIONS, {
      ids: batch.map((id) => `gid://shopify/Product/${id}`),
    });
    for (const node of data.nodes) {
      if (!node?.id || !node.collections) continue;
      const productId = legacyId(node.id);
      const ids = node.collections.nodes.map((c) => legacyId(c.id));
      let page = node.collections.pageInfo;
      while (page.hasNextPage && page.endCursor) {
        const more = await runAdminQuery<{ product: { collections: CollectionPage } | null }>(
          admin,
          "MoreProductCollections",
          MORE_PRODUCT_COLLECTIONS,
          { id: node.id, after: page.endCursor },
        );
        if (!more.product) break;
        ids.push(...more.product.collections.nodes.map((c) => legacyId(c.id)));
        page = more.product.collections.pageInfo;
      }
      found.set(productId, ids);
    }
  }
  return found;
}

// The earning page names the products and collections it excludes by title (the resource picker
// stores ids only). https://shopify.dev/docs/api/admin-graphql/latest/queries/nodes
const RESOURCE_TITLES = `#graphql
  query ResourceTitles($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        title
      }
      ... on Collection {
        id
        title
      }
    }
  }
`;

export type PickedResource = "Product" | "Collection";

/**
 * Titles of products or collections by numeric id; one Shopify no longer has is left out (the
 * page then names it by its id, so it can be seen and removed).
 */
export async function fetchResourceTitles(
  admin: AdminGraphql,
  resource: PickedResource,
  ids: readonly string[],
): Promise<Record<string, string>> {
  const titles: Record<string, string> = {};
  for (let start = 0; start < ids.length; start += PRODUCTS_PER_QUERY) {
    const batch = ids.slice(start, start + PRODUCTS_PER_QUERY);
    const data = await runAdminQuery<{ nodes: ({ id?: string; title?: string } | null)[] }>(
      admin,
      "ResourceTitles",
      RESOURCE_TITLES,
      { ids: batch.map((id) => `gid://shopify/${resource}/${id}`) },
    );
    for (const node of data.nodes) {
      if (node?.id && node.title) titles[legacyId(node.id)] = node.title;
    }
  }
  return titles;
}
