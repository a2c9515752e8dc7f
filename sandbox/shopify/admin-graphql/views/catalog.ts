/**
 * Products and collections seen through the Admin GraphQL schema: only ids, titles and which
 * collections a product is in (what the app reads to exclude collections from earning).
 */
import type { SandboxCollection, SandboxProduct } from "../../store";
import { paginate } from "../connection";
import type { AdminContext, View } from "../context";
import { gid } from "../values";

export function collectionView(ctx: AdminContext, collection: SandboxCollection): View {
  const members = () =>
    [...ctx.store.products.values()].filter((p) => p.collectionIds.has(collection.id));
  return {
    __typename: "Collection",
    id: gid("Collection", collection.id),
    legacyResourceId: String(collection.id),
    title: collection.title,
    handle: collection.handle,
    updatedAt: collection.updated_at,
    products: (args: Record<string, unknown>) =>
      paginate(
        members(),
        args,
        (p) => p.id,
        (p) => productView(ctx, p),
      ),
  };
}

export function productView(ctx: AdminContext, product: SandboxProduct): View {
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    updatedAt: product.updated_at,
    collections: (args: Record<string, unknown>) =>
      paginate(
        [...product.collectionIds]
          .sort((a, b) => a - b)
          .flatMap((id) => {
            const collection = ctx.store.collections.get(id);
            return collection ? [collection] : [];
          }),
        args,
        (c) => c.id,
        (c) => collectionView(ctx, c),
      ),
  };
}
