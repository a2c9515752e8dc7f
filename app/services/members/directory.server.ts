import { Prisma } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import type { MemberListQuery, MemberSort } from "~/lib/member-list-query";
import { programInForce } from "../program/versions.server";

export const MEMBER_PAGE_SIZE = 50;

/** The sort columns, each with its own (shopId, column, id) index (migration 20261123040000). */
const SORT_COLUMNS: Record<
  MemberSort,
  { sql: Prisma.Sql; kind: "number" | "date" | "nullableDate" }
> = {
  points: { sql: Prisma.sql`"pointsBalance"`, kind: "number" },
  lifetime: { sql: Prisma.sql`"lifetimeEarned"`, kind: "number" },
  joined: { sql: Prisma.sql`"createdAt"`, kind: "date" },
  // Never active sorts as the oldest activity; the migration indexes exactly this expression.
  activity: {
    sql: Prisma.sql`COALESCE("lastActivityAt", '-infinity'::timestamp(3))`,
    kind: "nullableDate",
  },
};

type MemberRow = {
  id: string;
  customerId: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  status: string;
  pointsBalance: number;
  pendingPoints: number;
  lifetimeEarned: number;
  tierId: string | null;
  createdAt: Date;
  lastActivityAt: Date | null;
};

/**
 * One page of a shop's members, searched and sorted, by keyset (the row after/before a cursor)
 * rather than OFFSET: page 2,000 costs what page 1 costs, and rows added meanwhile never shift it.
 */
export async function listMembers(shopId: string, query: MemberListQuery) {
  const { sql, backwards } = memberPageQuery(shopId, query);
  const rows = await prisma.$queryRaw<MemberRow[]>(sql);
  const more = rows.length > MEMBER_PAGE_SIZE;
  const page = rows.slice(0, MEMBER_PAGE_SIZE);
  if (backwards) page.reverse();
  const { config } = await programInForce(prisma, shopId);
  const tierName = (id: string | null) => config.tiers.find((t) => t.id === id)?.name ?? null;
  const first = page[0];
  const last = page[page.length - 1];
  return {
    members: page.map((row) => ({
      id: row.id,
      customerId: row.customerId.toString(),
      name: [row.firstName, row.lastName].filter(Boolean).join(" ") || null,
      email: row.email,
      status: row.status,
      tier: tierName(row.tierId),
      pointsBalance: row.pointsBalance,
      pendingPoints: row.pendingPoints,
      lifetimeEarned: row.lifetimeEarned,
      joinedAt: row.createdAt.toISOString(),
      lastActivityAt: row.lastActivityAt?.toISOString() ?? null,
    })),
    previousCursor:
      first && (backwards ? more : query.after !== undefined)
        ? encodeMemberCursor(sortValue(query.sort, first), first.id)
        : null,
    nextCursor:
      last && (backwards || more) ? encodeMemberCursor(sortValue(query.sort, last), last.id) : null,
  };
}

function sortValue(sort: MemberSort, row: MemberRow): number | string | null {
  switch (sort) {
    case "points":
      return row.pointsBalance;
    case "lifetime":
      return row.lifetimeEarned;
    case "joined":
      return row.createdAt.toISOString();
    case "activity":
      return row.lastActivityAt?.toISOString() ?? null;
  }
}

/**
 * Rows strictly after the cursor in the page's order. A row comparison on (column, id) lets
 * PostgreSQL start the index scan at the cursor and stop after one page.
 */
function keysetCondition(
  column: (typeof SORT_COLUMNS)[MemberSort],
  descending: boolean,
  cursor: Cursor,
): Prisma.Sql {
  const beyond = descending ? Prisma.sql`<` : Prisma.sql`>`;
  const id = Prisma.sql`${cursor.id}::uuid`;
  if (column.kind === "number") {
    return Prisma.sql`(${column.sql}, id) ${beyond} (${Number(cursor.value)}::int, ${id})`;
  }
  // Dates, and last activity's COALESCE(…, -infinity) where a cursor of never-active is null.
  const at =
    cursor.value === null
      ? Prisma.sql`'-infinity'::timestamp(3)`
      : Prisma.sql`${String(cursor.value)}::timestamp(3)`;
  return Prisma.sql`(${column.sql}, id) ${beyond} (${at}, ${id})`;
}

/**
 * The page's SQL (exported so a test can EXPLAIN it): one index range scan in the sort's own
 * index, stopping after a page of rows, for every sort, direction and cursor.
 */
export function memberPageQuery(shopId: string, query: MemberListQuery) {
  const column = SORT_COLUMNS[query.sort];
  const cursor = fitting(column.kind, decodeMemberCursor(query.before ?? query.after));
  const backwards = query.before !== undefined && cursor !== null;
  // Walking back to the previous page reads the same index the other way, then flips the rows.
  const descending = (query.direction === "desc") !== backwards;
  const order = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const conditions = [
    Prisma.sql`"shopId" = ${shopId}::uuid`,
    ...searchCondition(query.search),
    ...(cursor ? [keysetCondition(column, descending, cursor)] : []),
  ];
  const sql = Prisma.sql`
    SELECT id, "customerId", email, "firstName", "lastName", status, "pointsBalance",
           "pendingPoints", "lifetimeEarned", "tierId", "createdAt", "lastActivityAt"
    FROM "Member"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${column.sql} ${order}, id ${order}
    LIMIT ${MEMBER_PAGE_SIZE + 1}`;
  return { sql, backwards };
}

/**
 * A customer id (digits or its GID) is an indexed lookup; any other text is a case-insensitive
 * substring of email, first, last or full name. The first condition is the trigram index's own
 * expression (migration 20261204010000_member_search_trigrams): it holds whenever one of the
 * others does, so it narrows the rows to the index's candidates without changing the answer, and
 * the exact per-column check runs only on those (ADR 0050).
 */
function searchCondition(search: string | undefined): Prisma.Sql[] {
  if (!search) return [];
  const customerId = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,18})$/.exec(search)?.[1];
  // A phone typed any way ("+1 (555) 000-1111", "555 0001111") is matched on its digits, as
  // Shopify stores it (E.164); all digits may be a customer ID as well.
  const digits = search.replace(/\D/g, "");
  const phone =
    /^[\d\s()+.-]+$/.test(search) && digits.length >= 7
      ? Prisma.sql`regexp_replace(COALESCE(phone, ''), '[^0-9]', '', 'g') LIKE ${`%${digits}%`}`
      : null;
  if (customerId && phone) {
    return [Prisma.sql`("customerId" = ${BigInt(customerId)} OR ${phone})`];
  }
  if (customerId) return [Prisma.sql`"customerId" = ${BigInt(customerId)}`];
  if (phone) return [phone];
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return [
    Prisma.sql`(COALESCE(email, '') || ' ' || COALESCE("firstName", '') || ' ' || COALESCE("lastName", '')) ILIKE ${pattern}`,
    Prisma.sql`(email ILIKE ${pattern} OR "firstName" ILIKE ${pattern}
      OR "lastName" ILIKE ${pattern} OR ("firstName" || ' ' || "lastName") ILIKE ${pattern})`,
  ];
}
type Cursor = { value: number | string | null; id: string };

const CursorSchema = z.tuple([z.union([z.number().int(), z.iso.datetime(), z.null()]), z.uuid()]);

/** An opaque page cursor: the last row's sort value and id. */
export function encodeMemberCursor(value: Cursor["value"], id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

/** A cursor that does not parse (edited, from an older sort) starts from the first page. */
function decodeMemberCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString()));
    return parsed.success ? { value: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/** A cursor made under another sort (a number where a date belongs) starts from the first page. */
function fitting(kind: "number" | "date" | "nullableDate", cursor: Cursor | null): Cursor | null {
  if (!cursor) return null;
  const { value } = cursor;
  if (kind === "number") return typeof value === "number" ? cursor : null;
  if (kind === "date") return typeof value === "string" ? cursor : null;
  return typeof value === "number" ? null : cursor;
}
