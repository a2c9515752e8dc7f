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
    `"tierCheckpoint"`,
    `"birthMonth"`,
    `"birthDay"`,
    `"birthYear"`,
    `"lastActivityAt"`,
    `"profileSyncRequestedAt"`,
    `"emailMarketingState"`,
    `"emailConsentUpdatedAt"`,
    `"storeCreditMinor"`,
    `"storeCreditCurrency"`,
    `"storeCreditMirrorAt"`,
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
