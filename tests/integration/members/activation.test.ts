import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { deliver, eventsOf, memberOf, newStore, mergePayload } from "../../support/deliveries";

// Every member is announced exactly once, whatever creates it first, and member.activated says
// what did (ADR 0054).

async function activations(customerId: number) {
  return (await eventsOf(customerId, "member.activated")).map((e) => e.payload);
}

describe("member.activated, once, whatever comes first", () => {
  it("a paid order of a customer the app never saw: source order, then customers/create adds nothing", async () => {
    const store = newStore();
    const ivy = store.addCustomer({ email: "ivy-order@example.com" });
    await deliver(
      "orders/paid",
      store.addPaidOrder(ivy, [{ title: "Cup", price: "10.00", quantity: 1 }]),
    );
    await deliver("customers/create", ivy);
    await deliver("customers/update", ivy);

    const member = await memberOf(ivy.id);
    expect(await activations(ivy.id)).toEqual([
      {
        activated_at: member!.createdAt.toISOString(),
        account_registered: false,
        source: "order",
      },
    ]);
  });

  it("customers/update first: source customer_updated", async () => {
    const store = newStore();
    const jon = store.addCustomer({ email: "jon-update@example.com" });
    await deliver("customers/update", jon);
    await deliver("customers/create", jon);
    expect(await activations(jon.id)).toEqual([
      expect.objectContaining({ source: "customer_updated", account_registered: false }),
    ]);
  });

  it("customers/enable first: source account_registered, with the account registered", async () => {
    const store = newStore();
    const kim = store.addCustomer({ email: "kim-enable@example.com", state: "enabled" });
    await deliver("customers/enable", kim);
    await deliver("customers/create", kim);
    expect(await activations(kim.id)).toEqual([
      expect.objectContaining({ source: "account_registered", account_registered: true }),
    ]);
  });

  it("a merge naming a kept customer the app never saw: source merge; the merged one is not announced", async () => {
    const store = newStore();
    const kept = store.addCustomer({ email: "lea-kept@example.com" });
    const gone = store.addCustomer({ email: "lea-gone@example.com" });
    await deliver("customers/merge", mergePayload(kept, gone));
    await deliver("customers/create", kept);
    await deliver("customers/create", gone);

    expect(await activations(kept.id)).toEqual([expect.objectContaining({ source: "merge" })]);
    expect(await activations(gone.id)).toEqual([]);
    expect((await memberOf(gone.id))?.status).toBe("merged");
  });

  it("two registrations merged into one person pay both accounts' welcome bonus, in any order", async () => {
    const shop = await prisma.shop.findFirstOrThrow();
    await prisma.programVersion.create({
      data: {
        shopId: shop.id,
        version: (await prisma.programVersion.count({ where: { shopId: shop.id } })) + 1,
        config: { bonuses: { welcomePoints: 50 } },
      },
    });
    const store = newStore();
    const [a1, b1, a2, b2] = ["a1", "b1", "a2", "b2"].map((name) =>
      store.addCustomer({ email: `${name}-welcome@example.com`, state: "enabled" }),
    );
    // One order: both register, then the merge. The other: the merge, then both register.
    await deliver("customers/enable", a1!);
    await deliver("customers/enable", b1!);
    await deliver("customers/merge", mergePayload(a1!, b1!));
    await deliver("customers/merge", mergePayload(a2!, b2!));
    await deliver("customers/enable", b2!);
    await deliver("customers/enable", a2!);
    await deliver("customers/enable", a2!);

    expect((await memberOf(a1!.id))?.pointsBalance).toBe(100);
    expect((await memberOf(a2!.id))?.pointsBalance).toBe(100);
    expect(await eventsOf(a2!.id, "member.account_registered")).toHaveLength(2);
  });
});
