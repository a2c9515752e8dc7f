import { runAdminQuery, type AdminGraphql } from "./admin-client.server";

const CUSTOMER = `#graphql
  query LoyaltyCustomer($id: ID!) {
    customer(id: $id) {
      id
      email
      phone
      firstName
      lastName
      state
    }
  }`;

/** A Shopify customer as the app keeps it; null when Shopify has no customer with that id. */
export interface ShopifyCustomer {
  customerId: bigint;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  /** The account is registered (CustomerState ENABLED). */
  accountRegistered: boolean;
}

export async function fetchCustomer(
  admin: AdminGraphql,
  customerId: bigint,
): Promise<ShopifyCustomer | null> {
  const data = await runAdminQuery<{
    customer: {
      email: string | null;
      phone: string | null;
      firstName: string | null;
      lastName: string | null;
      state: string;
    } | null;
  }>(admin, "LoyaltyCustomer", CUSTOMER, { id: `gid://shopify/Customer/${customerId}` });
  if (!data.customer) return null;
  const { email, phone, firstName, lastName, state } = data.customer;
  return { customerId, email, phone, firstName, lastName, accountRegistered: state === "ENABLED" };
}
