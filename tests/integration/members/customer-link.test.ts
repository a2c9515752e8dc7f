/**
 * "Loyalty: view points and rewards" on Shopify admin's customer page (admin link extension):
 * admin opens /app/customers?id=<customer id> in the app's frame, and the app shows that
 * customer's member page — joining a customer from before the install first — or says plainly why
 * it cannot.
 */
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/app.customers";
import { adminDocumentRequest, callLoader, installTestShop } from "../../support/admin";
import { deliver, eventsOf, newStore } from "../../support/deliveries";
import { routeAdminApiToStandIn } from "../../support/rewards";

const store = newStore();

beforeAll(async () => {
  await installTestShop();
  await routeAdminApiToStandIn(() => store, "shpat_test", { session: "existing" });
});

async function open(query: string) {
  return callLoader(loader, await adminDocumentRequest(`/app/customers${query}`));
}

function memberPageOf(answer: unknown) {
  expect(answer).toBeInstanceOf(Response);
  const response = answer as Response;
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  // The library keeps the embedded page's shop and host, so the member page opens inside admin.
  expect(location.searchParams.get("host")).toBeTruthy();
  return location.pathname;
}

describe("admin link from Shopify admin's customer page", () => {
  it("opens the member page of a known customer, by number or GID", async () => {
    const ana = store.addCustomer({ email: "ana-link@example.com", first_name: "Ana" });
    await deliver("customers/create", ana);
    const member = await prisma.member.findFirstOrThrow({
      where: { customerId: BigInt(ana.id) },
    });

    expect(memberPageOf(await open(`?id=${ana.id}`))).toBe(`/app/members/${member.id}`);
    expect(memberPageOf(await open(`?id=gid://shopify/Customer/${ana.id}`))).toBe(
      `/app/members/${member.id}`,
    );
    expect(await eventsOf(ana.id, "member.activated")).toHaveLength(1);
  });

  it("makes a customer from before the install a member, announced once with source admin", async () => {
    const old = store.addCustomer({ email: "before-install@example.com", first_name: "Bea" });

    const first = memberPageOf(await open(`?id=${old.id}`));
    const again = memberPageOf(await open(`?id=${old.id}`));

    const member = await prisma.member.findFirstOrThrow({
      where: { customerId: BigInt(old.id) },
    });
    expect(first).toBe(`/app/members/${member.id}`);
    expect(again).toBe(first);
    expect(member.email).toBe("before-install@example.com");
    const activated = await eventsOf(old.id, "member.activated");
    expect(activated.map((event) => event.payload)).toEqual([
      expect.objectContaining({ source: "admin", account_registered: false }),
    ]);
  });

  it("says why when the link names no customer or one Shopify does not know, and creates nobody", async () => {
    const before = await prisma.member.count();

    expect(await open("")).toEqual({ problem: "customerLink.noCustomer" });
    expect(await open("?id=abc")).toEqual({ problem: "customerLink.noCustomer" });
    expect(await open("?id=987654321")).toEqual({ problem: "customerLink.notFound" });
    expect(await prisma.member.count()).toBe(before);
  });
});
