import type { Prisma } from "@prisma/client";
import type { HistoryCustomer } from "~/integrations/shopify/history-lines";
import { claimEventKey } from "../events/event-keys.server";
import { ensureMember, ensureMembers } from "../members/ensure.server";

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
  // The chunk's members at once: new ones in one insert, known ones one by one (ADR 0074).
  const ensured = await ensureMembers(
    tx,
    shop.id,
    customers.map((customer) => ({
      customerId: customer.customerId,
      email: customer.email,
      phone: customer.phone,
      firstName: customer.firstName,
      lastName: customer.lastName,
      accountRegistered: customer.accountRegistered,
    })),
    "import",
  );
  // What each member's row takes from its customer, in the chunk's order (a later mention of the
  // same customer sees the registration an earlier one wrote, and its balance replaces it).
  const changes = new Map<string, { registeredAt?: Date; credit?: { minor: number; at: Date } }>();
  const claims: { memberId: string; key: string }[] = [];
  for (const [i, customer] of customers.entries()) {
    const { member } = ensured[i]!;
    const change = changes.get(member.id) ?? {};
    if (customer.accountRegistered && !member.accountRegisteredAt && !change.registeredAt) {
      claims.push({ memberId: member.id, key: `account_registered:${member.id}` });
      // Shopify does not say when the account was activated: no earlier than its creation.
      change.registeredAt = customer.createdAt ?? new Date();
    }
    const balance = customer.storeCredit.find((credit) => credit.currency === shop.currency);
    if (storeCredit && balance) change.credit = { minor: balance.amountMinor, at: new Date() };
    if (change.registeredAt || change.credit) changes.set(member.id, change);
  }
  if (claims.length > 0) {
    await tx.scheduledEventKey.createMany({
      data: claims.map((claim) => ({ shopId: shop.id, ...claim })),
      skipDuplicates: true,
    });
  }
  if (changes.size > 0) {
    const rows = [...changes.entries()];
    const iso = (date: Date | undefined) => date?.toISOString() ?? null;
    await tx.$executeRaw`
      UPDATE "Member" AS m SET
        "accountRegisteredAt" = COALESCE(u.registered::timestamp(3), m."accountRegisteredAt"),
        "storeCreditMinor" = COALESCE(u.credit, m."storeCreditMinor"),
        "storeCreditCurrency" = CASE WHEN u.credit IS NULL THEN m."storeCreditCurrency"
          ELSE ${shop.currency} END,
        "storeCreditMirrorAt" = COALESCE(u."mirrorAt"::timestamp(3), m."storeCreditMirrorAt"),
        "updatedAt" = ${new Date().toISOString()}::timestamp(3)
      FROM unnest(${rows.map(([id]) => id)}::uuid[],
        ${rows.map(([, c]) => iso(c.registeredAt))}::text[],
        ${rows.map(([, c]) => c.credit?.minor ?? null)}::integer[],
        ${rows.map(([, c]) => iso(c.credit?.at))}::text[]) AS u(id, registered, credit, "mirrorAt")
      WHERE m.id = u.id`;
  }
  return { created: ensured.filter((e) => e.created).length };
}

/**
 * The same chunk member by member (ensureMember, one statement per claim and update): the
 * reference applyHistoryCustomers is held equal to (tests/integration/history-import/set-based.test.ts).
 */
export async function applyHistoryCustomersOneByOne(
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
