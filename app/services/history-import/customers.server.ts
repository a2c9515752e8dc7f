import type { Prisma } from "@prisma/client";
import type { HistoryCustomer } from "~/integrations/shopify/history-lines";
import { claimEventKey } from "../events/event-keys.server";
import { ensureMember } from "../members/ensure.server";

/**
 * One chunk of the store's customers, as members (announced once, source `import`; the caller
 * records them as history). An existing member keeps what it has, its contact refreshed. With the
 * merchant's choice, the store credit balance in the shop's currency becomes the member's mirror
 * (the balance Shopify holds; the app sends nothing). A customer account registered before the
 * install is a registered member, and its registration is claimed as the webhook's would be: a
 * later customers/enable for it pays no welcome bonus (the account is not new to the store).
 */
export async function applyHistoryCustomers(
  tx: Prisma.TransactionClient,
  shop: { id: string; currency: string },
  customers: readonly HistoryCustomer[],
  storeCredit: boolean,
): Promise<{ created: number }> {
  let created = 0;
  for (const customer of customers) {
    const ensured = await ensureMember(
      tx,
      shop.id,
      {
        customerId: customer.customerId,
        email: customer.email,
        phone: customer.phone,
        firstName: customer.firstName,
        lastName: customer.lastName,
      },
      { source: "import", accountRegistered: customer.accountRegistered },
    );
    if (ensured.created) created += 1;
    const member = ensured.member;
    if (customer.accountRegistered && !member.accountRegisteredAt) {
      await claimEventKey(tx, member, `account_registered:${member.id}`);
      await tx.member.update({
        where: { id: member.id },
        // Shopify does not say when the account was activated: no earlier than its creation.
        data: { accountRegisteredAt: customer.createdAt ?? new Date() },
      });
    }
    const balance = customer.storeCredit.find((credit) => credit.currency === shop.currency);
    if (storeCredit && balance) {
      await tx.member.update({
        where: { id: member.id },
        data: {
          storeCreditMinor: balance.amountMinor,
          storeCreditCurrency: balance.currency,
          storeCreditMirrorAt: new Date(),
        },
      });
    }
  }
  return { created };
}
