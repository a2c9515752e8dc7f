import { randomUUID } from "node:crypto";
import { Prisma, type Member } from "@prisma/client";
import type { ProgramConfig } from "~/domain/program/index";
import type { MemberSnapshot } from "~/domain/events/index";
import { LoyaltyError } from "../errors";

export interface CustomerContact {
  customerId: bigint;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** See address-key.server.ts; undefined leaves the stored one alone. */
  addressKey?: string | null;
}

/**
 * The member for a Shopify customer, created on first sight. `created` is true only for the
 * transaction whose insert won, so member.activated is written exactly once per customer.
 */
export async function ensureMember(
  tx: Prisma.TransactionClient,
  shopId: string,
  contact: CustomerContact,
): Promise<{ member: Member; created: boolean }> {
  const fields = {
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    firstName: contact.firstName || null,
    lastName: contact.lastName || null,
    addressKey: contact.addressKey ?? null,
  };
  // Raw statements on the hot path (every order): no query compilation (ADR 0034).
  const [inserted] = await tx.$queryRaw<Member[]>`
    INSERT INTO "Member" (id, "shopId", "customerId", email, phone, "firstName", "lastName",
      "addressKey", "createdAt", "updatedAt")
    VALUES (${randomUUID()}::uuid, ${shopId}::uuid, ${contact.customerId}::bigint, ${fields.email},
      ${fields.phone}, ${fields.firstName}, ${fields.lastName}, ${fields.addressKey},
      ${new Date().toISOString()}::timestamp(3), ${new Date().toISOString()}::timestamp(3))
    ON CONFLICT ("shopId", "customerId") DO NOTHING
    RETURNING ${MEMBER_COLUMNS}`;
  // A row this transaction inserted is invisible to, and cannot be locked by, any other until
  // it commits: it is as good as locked, so the new member needs no second statement (ADR 0047).
  if (inserted) return { member: inserted, created: true };
  const member = await lockMember(tx, shopId, contact.customerId);
  // A deleted, redacted or merged member keeps no personal data: late webhooks must not restore it.
  if (member.status === "active" && contactChanged(member, fields)) {
    return {
      member: await tx.member.update({
        where: { id: member.id },
        data: definedOnly(fields, contact),
      }),
      created: false,
    };
  }
  return { member, created: false };
}

/** Reads the member row FOR UPDATE: balance changes of one member are serialised. */
export async function lockMember(tx: Prisma.TransactionClient, shopId: string, customerId: bigint) {
  const rows = await tx.$queryRaw<Member[]>`
    SELECT ${MEMBER_COLUMNS} FROM "Member"
    WHERE "shopId" = ${shopId}::uuid AND "customerId" = ${customerId}::bigint
    FOR UPDATE`;
  const member = rows[0];
  if (!member) throw new Error(`no member for customer ${customerId}`);
  return member;
}

/**
 * Every Member column, as Prisma's model has them (uuids as text): a raw `SELECT`/`RETURNING`
 * of these is a `Member` (tests/integration/ledger/raw-rows.test.ts compares it with Prisma's read).
 */
export const MEMBER_COLUMNS = Prisma.raw(
  [
    `id::text AS id`,
    `"shopId"::text AS "shopId"`,
    `"customerId"`,
    `email`,
    `phone`,
    `"firstName"`,
    `"lastName"`,
    `status`,
    `"accountRegisteredAt"`,
    `"pointsBalance"`,
    `"pendingPoints"`,
    `"lifetimeEarned"`,
    `"lifetimeSpent"`,
    `"tierId"`,
    `"tierEnteredAt"`,
    `"tierPeriodEndsAt"`,
    `"tierLockedUntil"`,
    `"birthMonth"`,
    `"birthDay"`,
    `"birthYear"`,
    `"lastActivityAt"`,
    `"profileSyncRequestedAt"`,
    `"storeCreditMinor"`,
    `"storeCreditCurrency"`,
    `"addressKey"`,
    `"mergedIntoId"::text AS "mergedIntoId"`,
    `"createdAt"`,
    `"updatedAt"`,
  ].join(", "),
);

/**
 * The active member of a customer, locked for update, for actions that must not create members
 * (Flow actions, admin edits): an unknown customer is a LoyaltyError the caller can show.
 */
export async function lockActiveMember(
  tx: Prisma.TransactionClient,
  shopId: string,
  customerId: bigint,
) {
  const exists = await tx.member.count({ where: { shopId, customerId, status: "active" } });
  if (!exists) {
    throw new LoyaltyError("member_not_found", `Customer ${customerId} is not a loyalty member`);
  }
  return lockMember(tx, shopId, customerId);
}

/** The member as every loyalty event carries it (catalog: member snapshot). */
export function memberSnapshot(member: Member, config: ProgramConfig): MemberSnapshot {
  const tier = config.tiers.find((t) => t.id === member.tierId);
  return {
    customer_id: member.customerId.toString(),
    email: member.email,
    phone: member.phone,
    first_name: member.firstName,
    last_name: member.lastName,
    points_balance: member.pointsBalance,
    // The mirror of Shopify's balance (ADR 0030); null until the member has store credit.
    store_credit_balance_minor: member.storeCreditCurrency ? member.storeCreditMinor : null,
    store_credit_currency: member.storeCreditCurrency,
    vip_tier: tier?.name ?? null,
    lifetime_points_earned: member.lifetimeEarned,
    lifetime_points_spent: member.lifetimeSpent,
  };
}

type ContactFields = Pick<Member, "email" | "phone" | "firstName" | "lastName" | "addressKey">;

function contactChanged(member: Member, fields: ContactFields) {
  return (Object.keys(fields) as (keyof ContactFields)[]).some(
    (key) => fields[key] !== null && fields[key] !== member[key],
  );
}

/** A webhook that omits a field (undefined) leaves it alone; null or "" is kept as unknown. */
function definedOnly(fields: ContactFields, contact: CustomerContact): Partial<ContactFields> {
  const source: Record<keyof ContactFields, unknown> = {
    email: contact.email,
    phone: contact.phone,
    firstName: contact.firstName,
    lastName: contact.lastName,
    addressKey: contact.addressKey,
  };
  return Object.fromEntries(
    (Object.keys(fields) as (keyof ContactFields)[])
      .filter((key) => source[key] !== undefined && fields[key] !== null)
      .map((key) => [key, fields[key]]),
  );
}
