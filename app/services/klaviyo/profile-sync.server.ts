import type { KlaviyoConnection, Member, Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { moneyLocale } from "~/domain/money";
import {
  belongsOnMemberList,
  MEMBER_LIST_NAME,
  OFF_LIST_EMAIL_STATES,
  profileIdentity,
  profileProperties,
  type ProfileIdentity,
} from "~/domain/klaviyo";
import {
  KlaviyoApiError,
  type KlaviyoClient,
  type ListMember,
  type ProfileUpdate,
} from "~/integrations/klaviyo";
import { programInForce } from "../program/versions.server";
import { profileFactsFor } from "./profile-facts.server";

/** A member whose profile is stale: never sent, changed since, or a re-sync was requested. */
const DIRTY_BATCH = 10_000;
/** Fewer stale profiles than this go one by one (Create or Update Profile, 75/s, errors at once). */
const SINGLE_UPSERT_BELOW = 50;
/** Bulk Import Profiles takes ≤ 10,000 profiles and ≤ 5 MB per job. */
const MAX_IMPORT_BYTES = 4_500_000;

export type ProfileSyncReport = { synced: number; failed: number; jobs: number };

type Sent = { member: Member; update: ProfileUpdate };

/**
 * Brings stale Klaviyo profiles up to date: a few at a time through Create or Update Profile, a
 * backlog through Bulk Import Profiles jobs. A profile counts as current for the Member.updatedAt
 * it was built from, so a change made while it was in flight makes it stale again.
 */
export async function syncStaleProfiles(
  connection: KlaviyoConnection,
  client: KlaviyoClient,
  now: () => Date = () => new Date(),
): Promise<ProfileSyncReport> {
  const { shopId } = connection;
  const report: ProfileSyncReport = { synced: 0, failed: 0, jobs: 0 };
  await checkImportJobs(shopId, client, report);
  const build = await updateBuilder(connection, now);
  for (;;) {
    // Re-read each round: a settings change or "Sync now" during a long drain widens what is stale.
    const { resyncRequestedAt } = await prisma.klaviyoConnection.findUniqueOrThrow({
      where: { shopId },
      select: { resyncRequestedAt: true },
    });
    const members = await staleMembers(shopId, resyncRequestedAt, DIRTY_BATCH);
    if (members.length === 0) return report;
    const sent = await build(members);
    if (sent.length < SINGLE_UPSERT_BELOW) await upsertOneByOne(shopId, client, sent, report);
    else await importInBulk(shopId, client, sent, report);
    if (members.length < DIRTY_BATCH) return report;
  }
}

/** Turns members into profile updates with the shop's rules, currency, time zone and locale. */
async function updateBuilder(connection: KlaviyoConnection, now: () => Date) {
  const { shopId } = connection;
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const { config } = await programInForce(prisma, shopId);
  const format = {
    currency: shop.currency,
    timeZone: shop.timeZone,
    locale: moneyLocale(shop.countryCode),
  };
  return async (members: Member[]): Promise<Sent[]> => {
    const facts = await profileFactsFor(
      members,
      { shopId, timeZone: shop.timeZone, config, domain: shop.domain },
      now(),
    );
    return members.map((member) => ({
      member,
      update: {
        identity: identityOf(member),
        properties: profileProperties(facts.get(member.id)!, format, connection.propertyPrefix),
      },
    }));
  };
}

export type ListSyncReport = { imported: number; removed: number };

/**
 * The optional one-way list sync (seed 004, ADR 0069): every member who belongs on the shop's
 * "Loyalty members" list (active, not unsubscribed from email marketing) is imported into it with
 * current properties, then the list's members are read page by page and every profile that is not
 * such a member — deleted, redacted, merged away, unsubscribed, or never a member — is removed
 * from the list. Removal only ends list membership; it does not unsubscribe or suppress anyone.
 */
export async function syncMemberList(
  connection: KlaviyoConnection,
  client: KlaviyoClient,
  now: () => Date = () => new Date(),
): Promise<ListSyncReport> {
  const { shopId } = connection;
  const listId = connection.listId ?? (await client.ensureList(MEMBER_LIST_NAME));
  if (listId !== connection.listId) {
    await prisma.klaviyoConnection.update({ where: { shopId }, data: { listId } });
  }
  const build = await updateBuilder(connection, now);
  const report: ProfileSyncReport = { synced: 0, failed: 0, jobs: 0 };
  let after: string | undefined;
  for (;;) {
    const members = await prisma.member.findMany({
      where: { ...onList(shopId), ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: DIRTY_BATCH,
    });
    if (members.length === 0) break;
    after = members.at(-1)!.id;
    await importInBulk(shopId, client, await build(members), report, listId);
  }
  const removed = await removeLeavers(shopId, client, listId);
  await prisma.klaviyoConnection.update({ where: { shopId }, data: { listSyncedAt: now() } });
  return { imported: report.synced, removed };
}

/** The members `belongsOnMemberList` accepts, as a query (a null state is not "unsubscribed"). */
function onList(shopId: string): Prisma.MemberWhereInput {
  return {
    shopId,
    status: "active",
    OR: [
      { emailMarketingState: null },
      { emailMarketingState: { notIn: [...OFF_LIST_EMAIL_STATES] } },
    ],
  };
}

/**
 * Reads the whole list first (100 a page, by cursor), then removes: removing while paging could
 * move members across page boundaries and skip some. Returns how many were removed.
 */
async function removeLeavers(shopId: string, client: KlaviyoClient, listId: string) {
  const leaving: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listMembersPage(listId, cursor);
    const stays = await listedMemberMatcher(shopId, page.profiles);
    for (const profile of page.profiles) if (!stays(profile)) leaving.push(profile.id);
    cursor = page.next;
  } while (cursor);
  if (leaving.length > 0) await client.removeFromList(listId, leaving);
  return leaving.length;
}

/**
 * Whether a list profile is a member who belongs on the list, by any identifier the app sends
 * (profileIdentity: email, else phone, else the customer id as external_id).
 */
async function listedMemberMatcher(shopId: string, profiles: ListMember[]) {
  const emails = profiles.flatMap((p) => (p.email ? [p.email.trim().toLowerCase()] : []));
  const phones = profiles.flatMap((p) => (p.phoneNumber ? [p.phoneNumber] : []));
  const customerIds = profiles.flatMap((p) =>
    p.externalId && /^\d{1,19}$/.test(p.externalId) ? [BigInt(p.externalId)] : [],
  );
  const found = await prisma.member.findMany({
    where: {
      shopId,
      OR: [
        { email: { in: emails, mode: "insensitive" } },
        { phone: { in: phones } },
        { customerId: { in: customerIds } },
      ],
    },
    select: {
      email: true,
      phone: true,
      customerId: true,
      status: true,
      emailMarketingState: true,
    },
  });
  const members = found.filter(belongsOnMemberList);
  const listedEmails = new Set(members.flatMap((m) => (m.email ? [m.email.toLowerCase()] : [])));
  const listedPhones = new Set(members.flatMap((m) => (m.phone ? [m.phone] : [])));
  const listedIds = new Set(members.map((m) => m.customerId.toString()));
  return (profile: ListMember) =>
    (profile.email !== null && listedEmails.has(profile.email.trim().toLowerCase())) ||
    (profile.phoneNumber !== null && listedPhones.has(profile.phoneNumber)) ||
    (profile.externalId !== null && listedIds.has(profile.externalId));
}

function identityOf(member: Member): ProfileIdentity {
  return profileIdentity({
    customerId: member.customerId.toString(),
    email: member.email,
    phone: member.phone,
  });
}

export async function hasStaleProfiles(shopId: string, resyncRequestedAt: Date | null) {
  return (await staleMembers(shopId, resyncRequestedAt, 1)).length > 0;
}

function staleMembers(shopId: string, resyncRequestedAt: Date | null, limit: number) {
  return prisma.$queryRaw<Member[]>`
    SELECT m.* FROM "Member" m
    LEFT JOIN "KlaviyoProfileSync" s ON s."memberId" = m."id"
    WHERE m."shopId" = ${shopId}::uuid AND m."status" = 'active'
      AND (s."memberId" IS NULL
        OR s."syncedVersion" <> m."updatedAt"
        OR s."syncedAt" < m."profileSyncRequestedAt"
        OR s."syncedAt" < ${resyncRequestedAt ?? new Date(0)})
    ORDER BY m."id"
    LIMIT ${limit}`;
}

async function upsertOneByOne(
  shopId: string,
  client: KlaviyoClient,
  sent: Sent[],
  report: ProfileSyncReport,
) {
  for (const item of sent) {
    try {
      await client.upsertProfile(item.update);
      await markSynced(shopId, [item.member], "synced", null);
      report.synced++;
    } catch (error) {
      if (!(error instanceof KlaviyoApiError) || error.kind !== "rejected") throw error;
      await markSynced(shopId, [item.member], "failed", error.detail);
      report.failed++;
    }
  }
}

async function importInBulk(
  shopId: string,
  client: KlaviyoClient,
  sent: Sent[],
  report: ProfileSyncReport,
  listId?: string,
) {
  for (const chunk of bySize(sent)) {
    const jobId = await client.bulkImportProfiles(
      chunk.map((item) => item.update),
      listId,
    );
    await prisma.klaviyoImportJob.create({ data: { id: jobId, shopId, profiles: chunk.length } });
    await markSynced(
      shopId,
      chunk.map((item) => item.member),
      "synced",
      null,
    );
    report.synced += chunk.length;
    report.jobs++;
  }
}

function bySize(sent: Sent[]): Sent[][] {
  const chunks: Sent[][] = [];
  let current: Sent[] = [];
  let bytes = 0;
  for (const item of sent) {
    const size = JSON.stringify(item.update).length;
    if (current.length > 0 && bytes + size > MAX_IMPORT_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Records, per member, the version Klaviyo now has (one statement for the whole chunk). */
async function markSynced(
  shopId: string,
  members: Member[],
  state: "synced" | "failed",
  error: string | null,
) {
  if (members.length === 0) return;
  const ids = members.map((m) => m.id);
  const versions = members.map((m) => m.updatedAt);
  await prisma.$executeRaw`
    INSERT INTO "KlaviyoProfileSync" ("memberId", "shopId", "syncedVersion", "syncedAt", "state", "lastError")
    SELECT id, ${shopId}::uuid, version, ${new Date()}::timestamp(3), ${state}, ${error?.slice(0, 2000) ?? null}
    FROM unnest(${ids}::uuid[], ${versions}::timestamp(3)[]) AS t(id, version)
    ON CONFLICT ("memberId") DO UPDATE SET
      "syncedVersion" = EXCLUDED."syncedVersion", "syncedAt" = EXCLUDED."syncedAt",
      "state" = EXCLUDED."state", "lastError" = EXCLUDED."lastError"`;
}

/** Finished import jobs: the profiles Klaviyo could not take are marked failed with its reason. */
async function checkImportJobs(shopId: string, client: KlaviyoClient, report: ProfileSyncReport) {
  const open = await prisma.klaviyoImportJob.findMany({ where: { shopId, state: "submitted" } });
  for (const job of open) {
    const status = await client.getBulkImportJob(job.id);
    if (status.status !== "complete" && status.status !== "cancelled") continue;
    const failures = status.failedCount > 0 ? await client.getImportErrors(job.id) : [];
    for (const failure of failures) {
      const member = await memberByIdentity(shopId, failure.identity);
      if (member) await markSynced(shopId, [member], "failed", failure.detail);
    }
    report.failed += failures.length;
    await prisma.klaviyoImportJob.update({
      where: { id: job.id },
      data: { state: "checked", failedCount: status.failedCount, checkedAt: new Date() },
    });
  }
}

async function memberByIdentity(shopId: string, identity: ProfileIdentity) {
  if (identity.email)
    return prisma.member.findFirst({
      where: { shopId, email: { equals: identity.email, mode: "insensitive" } },
    });
  if (identity.phoneNumber)
    return prisma.member.findFirst({ where: { shopId, phone: identity.phoneNumber } });
  if (identity.externalId && /^\d+$/.test(identity.externalId)) {
    return prisma.member.findFirst({ where: { shopId, customerId: BigInt(identity.externalId) } });
  }
  return null;
}
