import prisma from "~/db.server";
import { queueStoreCreditSend } from "~/jobs/queues/send.server";

export type ManualStoreCredit = {
  shopId: string;
  memberId: string;
  direction: "credit" | "debit";
  /** Shop currency, minor units, positive. */
  amountMinor: number;
  /** When the credit expires (credit only); null: never. */
  expiresAt: Date | null;
  /** Staff's reason, kept on the row for the review list. */
  note: string;
  /** One per rendered form: a resubmission records nothing twice. */
  requestKey: string;
};

/**
 * Staff issue or take a member's store credit (source `manual`): one row on the same path as
 * cashback (ADR 0030), sent to Shopify by the store credit worker with its exactly-once rules (the
 * balance read before sending tells a lost answer's outcome), and announced as
 * store_credit.credited / .debited once Shopify applied it. A debit takes at most what is left.
 */
export async function requestManualStoreCredit(input: ManualStoreCredit) {
  const shop = await prisma.shop.findUniqueOrThrow({
    where: { id: input.shopId },
    select: { currency: true },
  });
  return prisma.$transaction(async (tx) => {
    const member = await tx.member.findFirstOrThrow({
      where: { id: input.memberId, shopId: input.shopId },
    });
    const { count } = await tx.storeCreditTransaction.createMany({
      data: {
        shopId: input.shopId,
        memberId: member.id,
        customerId: member.customerId,
        kind: input.direction,
        source: "manual",
        idempotencyKey: `admin:store-credit:${input.requestKey}`,
        amountMinor: input.amountMinor,
        currency: shop.currency,
        expiresAt: input.direction === "credit" ? input.expiresAt : null,
        detail: { note: input.note },
      },
      skipDuplicates: true,
    });
    if (count > 0) await queueStoreCreditSend(tx, input.shopId);
    return { recorded: count > 0, currency: shop.currency };
  });
}
