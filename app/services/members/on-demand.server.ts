import prisma from "~/db.server";
import type { MemberSource } from "~/domain/events/index";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { fetchCustomer } from "~/integrations/shopify/customer.server";
import { LoyaltyError } from "../errors";
import { ensureMember } from "./ensure.server";

/**
 * A Shopify customer the app may not have seen yet (a store's customers from before the install,
 * a webhook still on its way) named by the storefront, a Flow action or the admin: when no member
 * exists, the customer is read from Shopify and becomes a member, announced once with `source`.
 * Shopify not knowing the customer is the one `member_not_found` left. A member that exists
 * (whatever its status) is left as it is: the caller's own checks apply.
 */
export async function ensureKnownCustomer(
  shopId: string,
  customerId: bigint,
  source: MemberSource,
  admin: () => Promise<AdminGraphql>,
): Promise<void> {
  const known = await prisma.member.count({ where: { shopId, customerId } });
  if (known > 0) return;
  let customer;
  try {
    customer = await fetchCustomer(await admin(), customerId);
  } catch (error) {
    if (error instanceof LoyaltyError) throw error;
    throw new LoyaltyError(
      "shopify_unavailable",
      "Shopify could not be asked about this customer right now; try again",
    );
  }
  if (!customer) {
    throw new LoyaltyError("member_not_found", `Shopify has no customer ${customerId}`);
  }
  await prisma.$transaction((tx) =>
    ensureMember(
      tx,
      shopId,
      {
        customerId,
        email: customer.email,
        phone: customer.phone,
        firstName: customer.firstName,
        lastName: customer.lastName,
      },
      { source, accountRegistered: customer.accountRegistered },
    ),
  );
}
