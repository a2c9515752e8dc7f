/** Store records as GraphQL-shaped views (see context.ts `View`). */
export {
  customerView,
  orderView,
  shopView,
  storeCreditAccountView,
  storeCreditTransactionView,
} from "./commerce";
export { bulkOperationView } from "./bulk";
export { collectionView, productView } from "./catalog";
export { metafieldView, resolveNamespace } from "./metafields";
export { ownerView } from "./owner";
export { discountNodeView, giftCardView, isoDate } from "./rewards";
