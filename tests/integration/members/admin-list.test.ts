import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/app.members._index";
import { ensureShop } from "~/services/shops/ensure.server";
import { adminRequest, callLoader, dataOf, installTestShop } from "../../support/admin";
import { TEST_SHOP } from "../../support/webhooks";

type Page = Awaited<ReturnType<typeof loader>>;
const DAY = 86_400_000;
let shopId: string;

async function page(query: string): Promise<Page> {
  return dataOf(await callLoader(loader, await adminRequest(`/app/members?${query}`)));
}

beforeAll(async () => {
  await installTestShop();
  shopId = (await ensureShop(prisma, TEST_SHOP)).id;
  const other = await ensureShop(prisma, "other-shop.myshopify.com");
  // 130 members (more than two pages), with ties in every sort and some never active.
  const base = Date.UTC(2026, 0, 1);
  await prisma.member.createMany({
    data: Array.from({ length: 130 }, (_, i) => ({
      shopId,
      customerId: BigInt(5000 + i),
      email: `member${i}@example.com`,
      firstName: i === 7 ? "Grace" : `First${i}`,
      phone: i === 9 ? "+15550001111" : null,
      lastName: i === 7 ? "Hopper" : `Last${i}`,
      pointsBalance: (i * 37) % 11,
      lifetimeEarned: (i * 13) % 7,
      createdAt: new Date(base + (i % 40) * DAY),
      lastActivityAt: i % 3 === 0 ? null : new Date(base + (i % 9) * DAY),
    })),
  });
  await prisma.member.create({
    data: { shopId: other.id, customerId: 5007n, email: "member7@example.com", firstName: "Grace" },
  });
});

/** Every member in the order the list promises, computed here independently of the SQL. */
async function expectedOrder(sort: string, direction: "asc" | "desc") {
  const members = await prisma.member.findMany({ where: { shopId } });
  const key = (m: (typeof members)[number]): number =>
    sort === "points"
      ? m.pointsBalance
      : sort === "lifetime"
        ? m.lifetimeEarned
        : sort === "joined"
          ? m.createdAt.getTime()
          : (m.lastActivityAt?.getTime() ?? -Infinity);
  const sign = direction === "asc" ? 1 : -1;
  return members
    .sort((a, b) => sign * (key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .map((m) => m.id);
}

describe("members list (admin)", () => {
  for (const sort of ["points", "lifetime", "joined", "activity"]) {
    for (const direction of ["asc", "desc"] as const) {
      it(`pages through every member once by ${sort} ${direction}, forwards and back`, async () => {
        const expected = await expectedOrder(sort, direction);
        const pages: Page[] = [await page(`sort=${sort}&direction=${direction}`)];
        expect(pages[0]!.page.previousCursor).toBeNull();
        while (pages.at(-1)!.page.nextCursor) {
          const after = pages.at(-1)!.page.nextCursor!;
          pages.push(await page(`sort=${sort}&direction=${direction}&after=${after}`));
        }
        const forwards = pages.flatMap((p) => p.page.members.map((m) => m.id));
        expect(pages).toHaveLength(3);
        expect(forwards).toEqual(expected);

        // Back from the last page with `before` gives the same pages in reverse.
        let current = pages.at(-1)!;
        const backwards = [current.page.members.map((m) => m.id)];
        while (current.page.previousCursor) {
          const before = current.page.previousCursor;
          current = await page(`sort=${sort}&direction=${direction}&before=${before}`);
          backwards.unshift(current.page.members.map((m) => m.id));
        }
        expect(backwards.flat()).toEqual(expected);
        expect(backwards[0]).toEqual(pages[0]!.page.members.map((m) => m.id));
      });
    }
  }

  it("searches email, names and customer id within the shop only", async () => {
    const byName = await page("q=grace%20hop");
    expect(byName.page.members.map((m) => m.email)).toEqual(["member7@example.com"]);
    expect(byName.page.members[0]).toMatchObject({ name: "Grace Hopper", status: "active" });

    const byEmail = await page("q=MEMBER12");
    expect(byEmail.page.members.map((m) => m.email).sort()).toEqual([
      "member120@example.com",
      "member121@example.com",
      "member122@example.com",
      "member123@example.com",
      "member124@example.com",
      "member125@example.com",
      "member126@example.com",
      "member127@example.com",
      "member128@example.com",
      "member129@example.com",
      "member12@example.com",
    ]);
    const byId = await page("q=gid://shopify/Customer/5042");
    expect(byId.page.members.map((m) => m.customerId)).toEqual(["5042"]);
    // LIKE wildcards in the search are literal text.
    expect((await page("q=%25")).page.members).toEqual([]);
  });

  it("finds a member by phone however the number is typed", async () => {
    for (const typed of ["+1 (555) 000-1111", "555-000-1111", "5550001111", "000 1111"]) {
      const found = await page(`q=${encodeURIComponent(typed)}`);
      expect(
        found.page.members.map((m) => m.customerId),
        typed,
      ).toEqual(["5009"]);
    }
    // Seven digits or more: a short number is not taken as a phone.
    expect((await page("q=555")).page.members).toEqual([]);
  });

  it("treats a bad sort or cursor as the first page instead of failing", async () => {
    const first = await page("sort=points&direction=desc");
    const edited = await page("sort=bogus&direction=sideways&after=not-a-cursor");
    expect(edited.query).toMatchObject({ sort: "joined", direction: "desc" });
    // A points cursor used under the joined sort starts that sort from the top.
    const crossed = await page(`sort=joined&after=${first.page.nextCursor}`);
    expect(crossed.page.members).toEqual((await page("sort=joined")).page.members);
  });

  it("refuses a request without a session token", async () => {
    const result = await callLoader(loader, new Request("https://loyalty-app.test/app/members"));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).not.toBe(200);
  });
});
