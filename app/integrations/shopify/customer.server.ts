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

const BY_EMAIL = `#graphql
  query LoyaltyCustomerByEmail($query: String!) {
    customers(first: 1, query: $query) {
      nodes { id }
    }
  }`;

const CREATE = `#graphql
  mutation LoyaltyCustomerCreate($input: CustomerInput!) {
    customerCreate(input: $input) {
      customer { id }
      userErrors { field message }
    }
  }`;

const idOf = (gid: string) => BigInt(gid.slice(gid.lastIndexOf("/") + 1));

async function customerIdByEmail(admin: AdminGraphql, email: string): Promise<bigint | null> {
  const data = await runAdminQuery<{ customers: { nodes: { id: string }[] } }>(
    admin,
    "LoyaltyCustomerByEmail",
    BY_EMAIL,
    { query: `email:"${email.replace(/["\\]/g, "")}"` },
  );
  const node = data.customers.nodes[0];
  return node ? idOf(node.id) : null;
}

/**
 * The shop's customer with this email, created (no account, tagged) when there is none: how a
 * signed-out friend who gives their email to claim a referral reward becomes someone a
 * customer-bound code can be issued to. A create that loses a race to another one ("taken") reads
 * the winner. Returns null when Shopify refuses the address (invalid).
 */
export async function findOrCreateCustomerByEmail(
  admin: AdminGraphql,
  email: string,
  tags: string[],
): Promise<bigint | null> {
  const known = await customerIdByEmail(admin, email);
  if (known !== null) return known;
  const data = await runAdminQuery<{
    customerCreate: {
      customer: { id: string } | null;
      userErrors: { field: string[] | null; message: string }[];
    };
  }>(admin, "LoyaltyCustomerCreate", CREATE, { input: { email, tags } });
  const created = data.customerCreate.customer;
  if (created) return idOf(created.id);
  if (data.customerCreate.userErrors.some((e) => /taken/i.test(e.message))) {
    return customerIdByEmail(admin, email);
  }
  return null;
}
