import { Prisma } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { MEMBER_SORTS, MemberListQuerySchema } from "~/lib/member-list-query";
import {
  encodeMemberCursor,
  listMembers,
  memberPageQuery,
} from "~/services/members/directory.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { explainNodes } from "../../support/explain";

const MEMBERS = 100_000;
let shopId: string;

beforeAll(async () => {
  shopId = (await ensureShop(prisma, "big-shop.myshopify.com")).id;
  const other = (await ensureShop(prisma, "other-shop.myshopify.com")).id;
  // One statement per shop: members with spread balances, join dates, and a quarter never active.
  for (const [id, count] of [
    [shopId, MEMBERS],
    [other, 10_000],
  ] as const) {
    await prisma.$executeRaw`
      INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "lastName",
        "pointsBalance", "lifetimeEarned", "createdAt", "updatedAt", "lastActivityAt")
      SELECT gen_random_uuid(), ${id}::uuid, 1000000 + g, 'shopper' || g || '@example.com',
        'First' || g, 'Last' || g, (g * 7919) % 5000, (g::bigint * 104729) % 20000,
        now() - (g % 1000) * interval '1 hour', now(),
        CASE WHEN g % 4 = 0 THEN NULL ELSE now() - (g % 500) * interval '1 day' END
      FROM generate_series(1, ${count}::int) g`;
  }
  await prisma.$executeRaw`ANALYZE "Member"`;
}, 300_000);

const COLUMN = {
  points: Prisma.sql`"pointsBalance"`,
  lifetime: Prisma.sql`"lifetimeEarned"`,
  joined: Prisma.sql`"createdAt"`,
  activity: Prisma.sql`"lastActivityAt"`,
};

/** The cursor of the 60,000th member in an order, found the slow way (OFFSET) for the test. */
async function deepCursor(sort: keyof typeof COLUMN, direction: "asc" | "desc") {
  const order = direction === "desc" ? Prisma.sql`DESC NULLS LAST` : Prisma.sql`ASC NULLS FIRST`;
  const idOrder = direction === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const [row] = await prisma.$queryRaw<{ id: string; value: number | Date | null }[]>`
    SELECT id, ${COLUMN[sort]} AS value FROM "Member" WHERE "shopId" = ${shopId}::uuid
    ORDER BY ${COLUMN[sort]} ${order}, id ${idOrder} OFFSET 59999 LIMIT 1`;
  const value = row!.value instanceof Date ? row!.value.toISOString() : row!.value;
  return encodeMemberCursor(value, row!.id);
}

describe(`members list with ${MEMBERS.toLocaleString("en")} members`, () => {
  it("reads one page of its sort's index per request, however deep the page", async () => {
    const timings: string[] = [];
    for (const sort of MEMBER_SORTS) {
      for (const direction of ["asc", "desc"] as const) {
        // A cursor deep in the list (the 60,000th member in this order), then real cursors.
        const first = await listMembers(shopId, MemberListQuerySchema.parse({ sort, direction }));
        const deep = await deepCursor(sort, direction);
        const query = MemberListQuerySchema.parse({ sort, direction, after: deep });
        const page = await listMembers(shopId, query);
        expect(page.members).toHaveLength(50);
        expect(page.members.map((m) => m.id)).not.toEqual(first.members.map((m) => m.id));
        for (const cursorQuery of [
          MemberListQuerySchema.parse({ sort, direction, after: page.nextCursor }),
          MemberListQuerySchema.parse({ sort, direction, before: page.previousCursor }),
        ]) {
          const nodes = await explainNodes(memberPageQuery(shopId, cursorQuery).sql);
          const types = nodes.map((n) => n["Node Type"]);
          expect(types, `${sort} ${direction}`).not.toContain("Sort");
          expect(types, `${sort} ${direction}`).not.toContain("Seq Scan");
          const scan = nodes.find((n) => n["Node Type"].startsWith("Index"));
          expect(scan?.["Index Name"], `${sort} ${direction}`).toMatch(/^Member_shopId_/);
          const read = (scan?.["Actual Rows"] ?? 0) + (scan?.["Rows Removed by Filter"] ?? 0);
          expect(read, `${sort} ${direction} rows read`).toBeLessThanOrEqual(51);
        }
        const started = performance.now();
        await listMembers(shopId, query);
        timings.push(`${sort} ${direction}: ${(performance.now() - started).toFixed(1)} ms`);
      }
    }
    console.info(`members list pages: ${timings.join(", ")}`);
  }, 120_000);

  it("finds a member by text or id, and measures a search that matches nothing", async () => {
    const timed = async (search: string) => {
      const started = performance.now();
      const page = await listMembers(shopId, MemberListQuerySchema.parse({ search }));
      return { page, ms: (performance.now() - started).toFixed(1) };
    };
    const byEmail = await timed("shopper4242@");
    expect(byEmail.page.members.map((m) => m.email)).toEqual(["shopper4242@example.com"]);
    const byName = await timed("first4242 last");
    expect(byName.page.members.map((m) => m.email)).toEqual(["shopper4242@example.com"]);
    const byId = await timed("1004242");
    expect(byId.page.members.map((m) => m.customerId)).toEqual(["1004242"]);
    const none = await timed("nobody-here");
    expect(none.page.members).toEqual([]);
    // Every member matches: a full first page, from this shop only.
    const everyone = await timed("@EXAMPLE.com");
    expect(everyone.page.members).toHaveLength(50);
    expect(everyone.page.nextCursor).toBeTruthy();
    console.info(
      `members search: email ${byEmail.ms} ms, name ${byName.ms} ms, customer id ${byId.ms} ms, no match ${none.ms} ms, every member ${everyone.ms} ms`,
    );
  }, 60_000);

  it("searches text through the trigram index, reading only the shop's candidates", async () => {
    for (const search of ["shopper4242@", "nobody-here", "Last4242"]) {
      const nodes = await explainNodes(
        memberPageQuery(shopId, MemberListQuerySchema.parse({ search })).sql,
      );
      const types = nodes.map((n) => n["Node Type"]);
      expect(types, search).not.toContain("Seq Scan");
      const scan = nodes.find((n) => n["Node Type"] === "Bitmap Index Scan");
      expect(scan?.["Index Name"], search).toBe("Member_shopId_searchText_trgm_idx");
      // Trigram candidates are rechecked against the text; a handful, not the shop's 100,000.
      const heap = nodes.find((n) => n["Node Type"] === "Bitmap Heap Scan");
      const read = (heap?.["Actual Rows"] ?? 0) + (heap?.["Rows Removed by Filter"] ?? 0);
      expect(read, `${search}: rows read`).toBeLessThanOrEqual(20);
    }
  }, 60_000);
});
