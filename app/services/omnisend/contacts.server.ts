import type { Member, OmnisendConnection } from "@prisma/client";
import prisma from "~/db.server";
import { moneyLocale } from "~/domain/money";
import { DEFAULT_PROPERTY_PREFIX, profileProperties } from "~/domain/klaviyo";
import {
  omnisendCustomProperties,
  omnisendIdentity,
  type OmnisendCustomProperties,
  type OmnisendIdentity,
} from "~/domain/omnisend";
import { profileFactsFor } from "../klaviyo/profile-facts.server";
import { programInForce } from "../program/versions.server";

/** A member as Omnisend sees them: who, and their properties as of `version` (Member.updatedAt). */
export type ContactState = {
  member: Member;
  identity: OmnisendIdentity | null;
  customProperties: OmnisendCustomProperties;
  version: Date;
};

/**
 * Builds members' custom properties with the shop's rules, currency, time zone and locale: the same
 * catalog §4 facts as Klaviyo's profiles (one fixed set of queries per batch of members).
 */
export async function contactBuilder(shopId: string, now: () => Date) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const { config } = await programInForce(prisma, shopId);
  const format = {
    currency: shop.currency,
    timeZone: shop.timeZone,
    locale: moneyLocale(shop.countryCode),
  };
  return async (members: Member[]): Promise<Map<string, ContactState>> => {
    const facts = await profileFactsFor(
      members,
      { shopId, timeZone: shop.timeZone, config, domain: shop.domain },
      now(),
    );
    return new Map(
      members.map((member) => [
        member.id,
        {
          member,
          identity: omnisendIdentity(member),
          customProperties: omnisendCustomProperties(
            profileProperties(facts.get(member.id)!, format, DEFAULT_PROPERTY_PREFIX),
            DEFAULT_PROPERTY_PREFIX,
          ),
          version: member.updatedAt,
        },
      ]),
    );
  };
}

/**
 * Records what Omnisend now holds of these members (sent with an event, or alone), at the real
 * time: it is compared with Member.updatedAt and the re-sync request, both real times.
 */
export async function recordContactSyncs(
  shopId: string,
  outcomes: { memberId: string; version: Date; state: string; error?: string | null }[],
) {
  const now = new Date().toISOString();
  if (outcomes.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO "OmnisendContactSync" ("memberId", "shopId", "syncedVersion", "syncedAt", state, "lastError")
    SELECT o."memberId", ${shopId}::uuid, o.version, ${now}::timestamp(3), o.state, o.error
    FROM unnest(${outcomes.map((o) => o.memberId)}::uuid[],
      ${outcomes.map((o) => o.version.toISOString())}::timestamp(3)[],
      ${outcomes.map((o) => o.state)}::text[],
      ${outcomes.map((o) => o.error?.slice(0, 2000) ?? null)}::text[])
      AS o("memberId", version, state, error)
    ON CONFLICT ("memberId") DO UPDATE SET "syncedVersion" = excluded."syncedVersion",
      "syncedAt" = excluded."syncedAt", state = excluded.state, "lastError" = excluded."lastError"`;
}

/**
 * Active members whose Omnisend contact is behind (never sent, changed since, or re-sync asked),
 * after `afterId` in id order: a drain walks the members once, so a re-sync time ahead of this
 * server's clock cannot make it send the same contacts over and over.
 */
export function staleContacts(connection: OmnisendConnection, afterId: string, limit: number) {
  return prisma.$queryRaw<Member[]>`
    SELECT m.* FROM "Member" m
    LEFT JOIN "OmnisendContactSync" s ON s."memberId" = m."id"
    WHERE m."shopId" = ${connection.shopId}::uuid AND m."status" = 'active'
      AND m."id" > ${afterId}::uuid
      AND (s."memberId" IS NULL
        OR s."syncedVersion" <> m."updatedAt"
        OR s."syncedAt" < m."profileSyncRequestedAt"
        OR s."syncedAt" < ${connection.resyncRequestedAt ?? new Date(0)})
    ORDER BY m."id"
    LIMIT ${limit}`;
}
