import { runAdminQuery, type AdminGraphql } from "./admin-client.server";

const SHOP_OVERVIEW = `#graphql
  query ShopOverview {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
      billingAddress {
        countryCodeV2
      }
    }
  }`;

export interface ShopOverview {
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  ianaTimezone: string;
  /** The shop's country: how its customers read money (formatted amounts follow it). */
  billingAddress: { countryCodeV2: string | null } | null;
}

export async function fetchShopOverview(admin: AdminGraphql): Promise<ShopOverview> {
  const data = await runAdminQuery<{ shop: ShopOverview }>(admin, "ShopOverview", SHOP_OVERVIEW);
  return data.shop;
}
