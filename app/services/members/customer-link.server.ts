import prisma from "~/db.server";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { LoyaltyError } from "../errors";
import { ensureKnownCustomer } from "./on-demand.server";

/**
 * The member behind a Shopify customer, for the admin link on Shopify admin's customer page. A
 * customer from before the install (history not imported yet) joins here, announced once with
 * source `admin`, so the merchant lands on a member page rather than "not found". Shopify not
 * knowing the customer stays `member_not_found`.
 */
export async function memberIdForCustomer(
  shopId: string,
  customerId: bigint,
  admin: AdminGraphql,
): Promise<string> {
  await ensureKnownCustomer(shopId, customerId, "admin", async () => admin);
  const member = await prisma.member.findFirst({
    where: { shopId, customerId },
    select: { id: true },
  });
  if (!member) throw new LoyaltyError("member_not_found", `No member for customer ${customerId}`);
  return member.id;
}
