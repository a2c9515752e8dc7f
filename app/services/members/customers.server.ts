import type { Member, Prisma } from "@prisma/client";
import { z } from "zod";
import { addressKeyOf } from "./address-key.server";
import { postEntry } from "../ledger/post-entry.server";
import { grantRewardLater } from "../rewards/grants/record.server";
import { claimEventKey } from "../events/event-keys.server";
import { ensureMember } from "./ensure.server";
import { survivor } from "./merge.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { reconcileTierAfterBonus } from "../tiers/evaluate.server";
import type { HandlerOutcome } from "../webhooks/stored-delivery";

// customers/* webhook payloads (REST shape), only what the engine reads. Since 2025-01 they no
// longer carry tags or marketing consent, and spend comes from orders (shopify-platform.md §0.4).
const CustomerPayload = z
  .object({
    id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(BigInt),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    state: z.string().optional(),
    created_at: z.string().optional(),
    default_address: z
      .object({
        address1: z.string().nullish(),
        zip: z.string().nullish(),
        country_code: z.string().nullish(),
        country: z.string().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

/** customers/create: the customer becomes a member (announced once, by ensureMember). */
export async function applyCustomerCreated(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const customer = CustomerPayload.parse(payload);
  const { created } = await ensureMember(tx, shopId, contactOf(customer), {
    source: "customer_created",
    accountRegistered: customer.state === "enabled",
  });
  return created ? "applied" : "ignored";
}

/** customers/update: keep the member's contact details current (they travel on every event). */
export async function applyCustomerUpdated(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const customer = CustomerPayload.parse(payload);
  const { created } = await ensureMember(tx, shopId, contactOf(customer), {
    source: "customer_updated",
    accountRegistered: customer.state === "enabled",
  });
  return created ? "applied" : "ignored";
}

/**
 * customers/enable (account activated): member.account_registered plus the welcome bonus, each
 * exactly once per customer account however often Shopify re-enables it.
 */
export async function applyAccountRegistered(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const customer = CustomerPayload.parse(payload);
  const { member: own } = await ensureMember(tx, shopId, contactOf(customer), {
    source: "account_registered",
    accountRegistered: true,
  });
  // Each customer account's registration counts once (a once-key on the account's own member),
  // and is credited to the member who holds its loyalty now: after a customers/merge, the kept
  // one. So the same registrations and merge give the same bonuses in any arrival order.
  let member = await survivor(tx, own);
  if (!(await claimEventKey(tx, member, `account_registered:${own.id}`))) return "ignored";
  // The account is registered (its own row, even merged away), and so is the member holding it.
  const registeredAt = new Date();
  if (own.id !== member.id && !own.accountRegisteredAt) {
    await tx.member.update({ where: { id: own.id }, data: { accountRegisteredAt: registeredAt } });
  }
  if (!member.accountRegisteredAt) {
    member = await tx.member.update({
      where: { id: member.id },
      data: { accountRegisteredAt: registeredAt },
    });
  }
  const { config } = await programInForce(tx, shopId);
  const bonus = config.bonuses.welcomePoints;
  let awarded = 0;
  if (bonus > 0) {
    const result = await postEntry(tx, member, {
      kind: "bonus",
      source: "welcome_bonus",
      points: bonus,
      idempotencyKey: `member:${own.id}:welcome_bonus`,
    });
    if (result.status === "posted") {
      member = await reconcileTierAfterBonus(tx, result.member, config);
      awarded = bonus;
      await recordEvent(tx, member, config, "points.added", {
        points: bonus,
        source: "welcome_bonus",
        order_id: null,
        order_name: null,
        note: null,
      });
    }
  }
  await recordEvent(tx, member, config, "member.account_registered", {
    welcome_bonus_points: awarded,
  });
  await grantRewardLater(
    tx,
    member,
    "welcome",
    config.bonuses.welcomeRewardHandle,
    `grant:welcome:${own.id}`,
  );
  return "applied";
}

// customers_email_marketing_consent/update: the customer's email consent on its own (customer
// payloads no longer carry it). Only what the newsletter bonus and the member list read.
const EmailConsentPayload = z
  .object({
    customer_id: z
      .union([z.number().int().positive(), z.string().regex(/^\d+$/)])
      .transform(BigInt),
    email_address: z.string().nullish(),
    email_marketing_consent: z
      .object({
        state: z.string(),
        consent_updated_at: z
          .string()
          .nullish()
          .refine((at) => !at || !Number.isNaN(Date.parse(at)), "consent_updated_at is not a date")
          .transform((at) => (at ? new Date(at) : null)),
      })
      .loose()
      .nullish(),
  })
  .loose();

/**
 * customers_email_marketing_consent/update. Any state makes the customer a member (it is a change
 * to the customer) and is kept as the member's email marketing state unless a newer one is stored
 * (ADR 0069: the Klaviyo list leaves unsubscribed members out). The newsletter bonus comes the first
 * time the customer is `subscribed` (pending double opt-in is not yet consent), once per customer
 * however often they unsubscribe and subscribe again — a ledger key per customer, credited to
 * whoever holds their loyalty now (after a merge, the kept member), so any arrival order gives the
 * same points.
 */
export async function applyEmailMarketingConsent(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const consent = EmailConsentPayload.parse(payload);
  const marketing = consent.email_marketing_consent;
  if (!marketing) return "ignored";
  const { member: own } = await ensureMember(
    tx,
    shopId,
    { customerId: consent.customer_id, email: consent.email_address },
    { source: "customer_updated" },
  );
  const stored = await recordEmailMarketingState(
    tx,
    own.id,
    marketing.state,
    marketing.consent_updated_at,
  );
  const paid = marketing.state === "subscribed" && (await payNewsletterBonus(tx, shopId, own));
  return stored || paid ? "applied" : "ignored";
}

/**
 * Keeps the state with the newest consent_updated_at: a delivery older than the stored one (or
 * without a time, once a timed one is stored) changes nothing. Member.updatedAt is left alone:
 * consent is not a profile property, so no profile needs re-sending for it.
 */
async function recordEmailMarketingState(
  tx: Prisma.TransactionClient,
  memberId: string,
  state: string,
  updatedAt: Date | null,
): Promise<boolean> {
  const at = updatedAt?.toISOString() ?? null;
  const changed = await tx.$executeRaw`
    UPDATE "Member" SET "emailMarketingState" = ${state},
      "emailConsentUpdatedAt" = ${at}::timestamp(3)
    WHERE id = ${memberId}::uuid
      AND ("emailConsentUpdatedAt" IS NULL OR "emailConsentUpdatedAt" < ${at}::timestamp(3))`;
  return changed > 0;
}

async function payNewsletterBonus(
  tx: Prisma.TransactionClient,
  shopId: string,
  own: Member,
): Promise<boolean> {
  const { config } = await programInForce(tx, shopId);
  const bonus = config.bonuses.newsletterPoints;
  if (bonus === 0) return false;
  const member = await survivor(tx, own);
  if (member.status !== "active") return false;
  const result = await postEntry(tx, member, {
    kind: "bonus",
    source: "newsletter_signup",
    points: bonus,
    idempotencyKey: `member:${own.id}:newsletter_signup`,
  });
  if (result.status !== "posted") return false;
  const updated = await reconcileTierAfterBonus(tx, result.member, config);
  await recordEvent(tx, updated, config, "points.added", {
    points: bonus,
    source: "newsletter_signup",
    order_id: null,
    order_name: null,
    note: null,
  });
  return true;
}

function contactOf(customer: z.infer<typeof CustomerPayload>) {
  return {
    customerId: customer.id,
    email: customer.email,
    phone: customer.phone,
    firstName: customer.first_name,
    lastName: customer.last_name,
    // Absent from the payload: keep what we have; present: its fingerprint (ADR 0042).
    addressKey:
      customer.default_address === undefined ? undefined : addressKeyOf(customer.default_address),
  };
}
