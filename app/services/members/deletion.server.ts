import type { Member, Prisma } from "@prisma/client";
import { z } from "zod";
import { lockMember } from "./repository.server";
import type { HandlerOutcome } from "../webhooks/stored-delivery";

// customers/delete payload, from Shopify's webhook reference sample
// (https://shopify.dev/docs/api/webhooks/2026-07, "customers/delete"):
//   { id: 706405506930370084, tax_exemptions: [], admin_graphql_api_id: "gid://shopify/Customer/706405506930370084" }
// That sample id is past 2^53, so a JSON number may already have lost digits: the GID wins, and a
// number is only trusted when it is a safe integer.
const CustomerDeletePayload = z
  .object({
    // Not .int(): zod refuses integers past 2^53 there, and such a number is fine next to a GID.
    id: z.union([z.number().positive(), z.string().regex(/^[1-9]\d*$/)]).optional(),
    admin_graphql_api_id: z
      .string()
      .regex(/^gid:\/\/shopify\/Customer\/[1-9]\d*$/, "expected a Shopify customer GID")
      .optional(),
  })
  .loose()
  .transform((payload, ctx) => {
    const gid = payload.admin_graphql_api_id;
    if (gid) return BigInt(gid.slice(gid.lastIndexOf("/") + 1));
    const { id } = payload;
    if (typeof id === "string" || (id !== undefined && Number.isSafeInteger(id))) return BigInt(id);
    ctx.addIssue({ code: "custom", path: ["id"], message: "expected a customer id or GID" });
    return z.NEVER;
  });

/**
 * customers/delete: Shopify deleted the customer, so the app forgets who they were. Email, phone,
 * names and birthday go; the member row, its ledger entries and its balance stay (pseudonymised by
 * the customer id alone), because the shop's point totals and past events must stay true. Status
 * becomes "deleted" (a merged-away member stays "merged": that link is what later webhooks need).
 * A customer who never became a member is ignored: no member is created for someone who is gone.
 */
export async function applyCustomerDeleted(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const customerId = CustomerDeletePayload.parse(payload);
  return (await forgetPersonalData(tx, shopId, customerId, "deleted")) ? "applied" : "ignored";
}

/**
 * Removes a customer's personal data from the member, the contact copied into their orders and
 * the snapshots on their loyalty events (customers/delete, GDPR customers/redact). Sums stay.
 * Returns false when there was nothing to forget (no member, or already forgotten).
 */
export async function forgetPersonalData(
  tx: Prisma.TransactionClient,
  shopId: string,
  customerId: bigint,
  status: "deleted" | "redacted",
): Promise<boolean> {
  const exists = await tx.member.findUnique({
    where: { shopId_customerId: { shopId, customerId } },
    select: { id: true },
  });
  if (!exists) return false;
  const member = await lockMember(tx, shopId, customerId);
  // Always, even on a redelivery: an order webhook may have stored contact details since.
  await forgetOrderContacts(tx, shopId, customerId);
  // Storefront rate-limit counters name the customer (docs/decisions/0027).
  await tx.proxyRateCounter.deleteMany({
    where: { shopId, key: { endsWith: `:c:${customerId}` } },
  });
  await tx.$executeRaw`
    UPDATE "LoyaltyEvent"
    SET snapshot = snapshot || '{"email":null,"phone":null,"first_name":null,"last_name":null}'::jsonb
    WHERE "shopId" = ${shopId}::uuid AND "customerId" = ${customerId}`;
  if (member.status !== "active" && !hasPersonalData(member)) return false;
  await tx.member.update({
    where: { id: member.id },
    data: {
      status: member.status === "active" ? status : member.status,
      email: null,
      phone: null,
      firstName: null,
      lastName: null,
      addressKey: null,
      birthMonth: null,
      birthDay: null,
      birthYear: null,
    },
  });
  return true;
}

function hasPersonalData(member: Member) {
  return [
    member.email,
    member.phone,
    member.firstName,
    member.lastName,
    member.addressKey,
    member.birthMonth,
  ].some((value) => value !== null);
}

/**
 * Clears the contact copied into the customer's stored orders. reconcileOrder passes it to
 * ensureMember on every refund or cancellation, so leaving it would write the deleted customer's
 * email and name back onto the member.
 */
async function forgetOrderContacts(
  tx: Prisma.TransactionClient,
  shopId: string,
  customerId: bigint,
) {
  const noContact = JSON.stringify({ email: null, phone: null, firstName: null, lastName: null });
  await tx.$executeRaw`
    UPDATE "OrderRecord"
    SET "order" = jsonb_set("order", '{customer}', ${noContact}::jsonb, false),
        "updatedAt" = now() AT TIME ZONE 'UTC'
    WHERE "shopId" = ${shopId}::uuid AND "customerId" = ${customerId}
      AND "order"->'customer' IS DISTINCT FROM ${noContact}::jsonb`;
}
