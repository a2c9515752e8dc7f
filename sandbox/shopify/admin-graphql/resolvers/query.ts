/** QueryRoot fields the app reads. */
import { GraphQLError } from "graphql";
import type { Resolver } from "../context";
import {
  bulkOperationView,
  collectionView,
  customerView,
  discountNodeView,
  giftCardView,
  orderView,
  productView,
  shopView,
  storeCreditAccountView,
} from "../views/index";
import { idOfType, parseGid } from "../values";
import type { AdminContext } from "../context";
import { rootConnectionResolver } from "./root-connections";

const NODES_LIMIT = 250;

function nodeView(ctx: AdminContext, id: unknown) {
  const { type, id: number } = parseGid(id);
  if (type === "Product") {
    const product = ctx.store.products.get(number);
    return product ? productView(ctx, product) : null;
  }
  if (type === "Collection") {
    const collection = ctx.store.collections.get(number);
    return collection ? collectionView(ctx, collection) : null;
  }
  if (type === "Customer") {
    const customer = ctx.store.customers.get(number);
    return customer ? customerView(ctx, customer) : null;
  }
  if (type === "Order") {
    const order = ctx.store.orders.get(number);
    return order ? orderView(ctx, order) : null;
  }
  // The finish webhook names the operation by gid; the guide reads it back through `node`.
  if (type === "BulkOperation") {
    const operation = ctx.state.bulk.get(number);
    return operation ? bulkOperationView(operation) : null;
  }
  return null;
}

export const queryResolvers: Record<string, Resolver> = {
  "QueryRoot.shop": (_source, _args, ctx) => shopView(ctx),

  "QueryRoot.customer": (_source, args, ctx) => {
    const id = idOfType(args.id, "Customer");
    const customer = id === null ? undefined : ctx.store.customers.get(id);
    return customer ? customerView(ctx, customer) : null;
  },

  "QueryRoot.customers": rootConnectionResolver("customers"),

  "QueryRoot.orders": rootConnectionResolver("orders"),

  "QueryRoot.order": (_source, args, ctx) => {
    const id = idOfType(args.id, "Order");
    const order = id === null ? undefined : ctx.store.orders.get(id);
    return order ? orderView(ctx, order) : null;
  },

  "QueryRoot.product": (_source, args, ctx) => {
    const id = idOfType(args.id, "Product");
    const product = id === null ? undefined : ctx.store.products.get(id);
    return product ? productView(ctx, product) : null;
  },

  "QueryRoot.collections": rootConnectionResolver("collections"),

  // Shopify's limit on `ids` (https://shopify.dev/docs/api/admin-graphql/latest/queries/nodes);
  // an id of a type the stand-in does not serve through `nodes` resolves to null.
  "QueryRoot.nodes": (_source, args, ctx) => {
    const ids = Array.isArray(args.ids) ? args.ids : [];
    if (ids.length > NODES_LIMIT) {
      throw new GraphQLError(
        `The input array size of ${ids.length} is greater than the maximum allowed of ${NODES_LIMIT}.`,
        {
          extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
        },
      );
    }
    return ids.map((id) => nodeView(ctx, id));
  },

  "QueryRoot.node": (_source, args, ctx) => nodeView(ctx, args.id),

  "QueryRoot.codeDiscountNode": (_source, args, ctx) => {
    const id = idOfType(args.id, "DiscountCodeNode");
    const record = id === null ? undefined : ctx.state.discountCodes.get(id);
    return record ? discountNodeView(ctx, record) : null;
  },

  "QueryRoot.codeDiscountNodeByCode": (_source, args, ctx) => {
    const record = ctx.state.discountByCode(String(args.code));
    return record ? discountNodeView(ctx, record) : null;
  },

  "QueryRoot.giftCard": (_source, args, ctx) => {
    const id = idOfType(args.id, "GiftCard");
    const record = id === null ? undefined : ctx.state.giftCards.get(id);
    return record ? giftCardView(ctx, record) : null;
  },

  "QueryRoot.storeCreditAccount": (_source, args, ctx) => {
    const id = idOfType(args.id, "StoreCreditAccount");
    const account = id === null ? undefined : ctx.state.storeCreditAccounts.get(id);
    return account ? storeCreditAccountView(ctx, account) : null;
  },
};
