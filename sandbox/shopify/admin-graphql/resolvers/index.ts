/** Every resolver the stand-in has, keyed `Type.field`. */
import type { Resolver } from "../context";
import { bulkResolvers } from "./bulk";
import { customerResolvers } from "./customers";
import { discountResolvers } from "./discounts";
import { flowResolvers } from "./flow";
import { giftCardResolvers } from "./gift-cards";
import { metafieldResolvers } from "./metafields";
import { queryResolvers } from "./query";
import { storeCreditResolvers } from "./store-credit";
import { webPixelResolvers } from "./web-pixels";

export const resolvers: Readonly<Record<string, Resolver>> = {
  ...queryResolvers,
  ...discountResolvers,
  ...storeCreditResolvers,
  ...giftCardResolvers,
  ...customerResolvers,
  ...metafieldResolvers,
  ...flowResolvers,
  ...bulkResolvers,
  ...webPixelResolvers,
};
