import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import type { MemberSource } from "~/domain/events/index";
import { recordEvent, recordEvents, type EventToRecord } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { assignReferralCode, assignReferralCodes } from "../referrals/program.server";
import { lockMember, MEMBER_COLUMNS, type CustomerContact } from "./repository.server";

/**
 * The member for a Shopify customer, created on first sight and announced then: member.activated
 * is written by the transaction whose insert won, whatever created the member (an order, a
 * customer webhook, a merge, an import…), so every member is announced exactly once, with the
 * source that created it. `created` tells the caller it was this one.
 */
export async function ensureMember(
  tx: Prisma.TransactionClient,
  shopId: string,
  contact: CustomerContact,
  origin: { source: MemberSource; accountRegistered?: boolean },
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
  if (inserted) {
    const { config } = await programInForce(tx, shopId);
    await assignReferralCode(tx, shopId, inserted.id);
    await recordEvent(tx, inserted, config, "member.activated", {
      activated_at: inserted.createdAt.toISOString(),
      account_registered: origin.accountRegistered ?? false,
      source: origin.source,
    });
    return { member: inserted, created: true };
  }
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

/**
 * ensureMember for many customers at once (the history import's chunks, ADR 0074): the customers
 * the app has no member for are created with one multi-row insert, their referral codes and
 * member.activated events with one statement each; the others go through ensureMember one by one
 * (locked, contact refreshed). Members are returned in the order of `contacts`; a customer named
 * twice is created by its first mention and refreshed by the next, as one by one.
 */
export async function ensureMembers(
  tx: Prisma.TransactionClient,
  shopId: string,
  contacts: readonly (CustomerContact & { accountRegistered?: boolean })[],
  source: MemberSource,
): Promise<{ member: Member; created: boolean }[]> {
  if (contacts.length === 0) return [];
  const at = new Date().toISOString();
  const fields = contacts.map((contact) => ({
    id: randomUUID(),
    customerId: contact.customerId.toString(),
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    firstName: contact.firstName || null,
    lastName: contact.lastName || null,
    addressKey: contact.addressKey ?? null,
  }));
  const inserted = await tx.$queryRaw<Member[]>`
    INSERT INTO "Member" (id, "shopId", "customerId", email, phone, "firstName", "lastName",
      "addressKey", "createdAt", "updatedAt")
    SELECT c.id, ${shopId}::uuid, c."customerId", c.email, c.phone, c."firstName", c."lastName",
      c."addressKey", ${at}::timestamp(3), ${at}::timestamp(3)
    FROM unnest(${fields.map((f) => f.id)}::uuid[], ${fields.map((f) => f.customerId)}::bigint[],
      ${fields.map((f) => f.email)}::text[], ${fields.map((f) => f.phone)}::text[],
      ${fields.map((f) => f.firstName)}::text[], ${fields.map((f) => f.lastName)}::text[],
      ${fields.map((f) => f.addressKey)}::text[])
      AS c(id, "customerId", email, phone, "firstName", "lastName", "addressKey")
    ON CONFLICT ("shopId", "customerId") DO NOTHING
    RETURNING ${MEMBER_COLUMNS}`;
  const created = new Map(inserted.map((member) => [member.id, member]));
  const results: { member: Member; created: boolean }[] = [];
  const activated: EventToRecord[] = [];
  for (const [i, contact] of contacts.entries()) {
    const mine = created.get(fields[i]!.id);
    if (mine) {
      results.push({ member: mine, created: true });
      activated.push({
        member: mine,
        type: "member.activated",
        payload: {
          activated_at: mine.createdAt.toISOString(),
          account_registered: contact.accountRegistered ?? false,
          source,
        },
      });
    } else {
      results.push(
        await ensureMember(tx, shopId, contact, {
          source,
          accountRegistered: contact.accountRegistered,
        }),
      );
    }
  }
  if (activated.length > 0) {
    const { config } = await programInForce(tx, shopId);
    await assignReferralCodes(
      tx,
      shopId,
      activated.map((event) => event.member.id),
    );
    await recordEvents(tx, config, activated);
  }
  return results;
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
