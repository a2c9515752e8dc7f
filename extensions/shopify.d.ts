// The `shopify` global each module sees, typed for its target (as `shopify app dev` generates it).
import "@shopify/ui-extensions";
import type { Api as PageApi } from "@shopify/ui-extensions/customer-account.page.render";
import type { Api as ProfileApi } from "@shopify/ui-extensions/customer-account.profile.block.render";
import type { Api as OrderStatusApi } from "@shopify/ui-extensions/customer-account.order-status.block.render";

declare module "./loyalty-account-page/src/RewardsPage.tsx" {
  const shopify: PageApi;
  const globalThis: { shopify: typeof shopify };
}
declare module "./loyalty-account-page/src/RewardsSection.tsx" {
  const shopify: PageApi;
  const globalThis: { shopify: typeof shopify };
}
declare module "./loyalty-account-page/src/BirthdaySection.tsx" {
  const shopify: PageApi;
  const globalThis: { shopify: typeof shopify };
}
declare module "./loyalty-account-page/src/sections.tsx" {
  const shopify: PageApi;
  const globalThis: { shopify: typeof shopify };
}
declare module "./loyalty-account-blocks/src/ProfileBlock.tsx" {
  const shopify: ProfileApi;
  const globalThis: { shopify: typeof shopify };
}
declare module "./loyalty-account-blocks/src/OrderStatusBlock.tsx" {
  const shopify: OrderStatusApi;
  const globalThis: { shopify: typeof shopify };
}
