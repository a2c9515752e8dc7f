import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { addressKeyOf } from "./address-key.server";
import { postEntry } from "../ledger/post-entry.server";
import { grantRewardLater } from "../rewards/grants/record.server";
import { ensureMember } from "./repository.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
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

/** customers/create: the customer becomes a member (member.activated, once). */
export async function applyCustomerCreated(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const customer = CustomerPayload.parse(payload);
  const { member, created } = await ensureMember(tx, shopId, contactOf(customer));
  if (!created) return "ignored";
  const { config } = await programInForce(tx, shopId);
  await recordEvent(tx, member, config, "member.activated", {
    activated_at: member.createdAt.toISOString(),
    account_registered: customer.state === "enabled",
  });
  return "applied";
}

/** customers/update: keep the member's contact details current (they travel on every event). */
export async function applyCustomerUpdated(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const customer = CustomerPayload.parse(payload);
  const { created } = await ensureMember(tx, shopId, contactOf(customer));
  return created ? "applied" : "ignored";
}

/**
 * customers/enable (account activated): member.account_registered plus the welcome bonus, each
 * exactly once per member however often Shopify re-enables the account.
 */
export async function applyAccountRegistered(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const customer = CustomerPayload.parse(payload);
  let { member } = await ensureMember(tx, shopId, contactOf(customer));
  if (member.accountRegisteredAt) return "ignored";
  member = await tx.member.update({
    where: { id: member.id },
    data: { accountRegisteredAt: new Date() },
  });
  const { config } = await programInForce(tx, shopId);
  const bonus = config.bonuses.welcomePoints;
  if (bonus > 0) {
    const result = await postEntry(tx, member, {
      kind: "bonus",
      source: "welcome_bonus",
      points: bonus,
      idempotencyKey: `member:${member.id}:welcome_bonus`,
    });
    if (result.status === "posted") {
      member = result.member;
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
    welcome_bonus_points: bonus,
  });
  await grantRewardLater(
    tx,
    member,
    "welcome",
    config.bonuses.welcomeRewardHandle,
    `grant:welcome:${member.id}`,
  );
  return "applied";
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
