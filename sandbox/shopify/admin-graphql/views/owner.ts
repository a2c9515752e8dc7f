/** Resolves a global id to whatever it names in the store (metafield owners, `node`-style lookups). */
import type { AdminContext, View } from "../context";
import { parseGid } from "../values";
import { customerView, orderView, shopView } from "./commerce";
import { discountNodeView } from "./rewards";

/** Whatever a global id points at in the store, as a view; null when it does not exist. */
export function ownerView(ctx: AdminContext, ownerId: string): View | null {
  const { type, id } = parseGid(ownerId);
  if (type === "Customer") {
    const customer = ctx.store.customers.get(id);
    return customer ? customerView(ctx, customer) : null;
  }
  if (type === "Order") {
    const order = ctx.store.orders.get(id);
    return order ? orderView(ctx, order) : null;
  }
  if (type === "Shop") return id === ctx.store.shop.id ? shopView(ctx) : null;
  if (type === "DiscountCodeNode") {
    const discount = ctx.state.discountCodes.get(id);
    return discount ? discountNodeView(ctx, discount) : null;
  }
  return null;
}
