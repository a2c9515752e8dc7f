import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import type { SandboxCustomer } from "../../../sandbox/shopify/store";
import { deliver, expectBalanceMatchesLedger, memberOf, newStore } from "../../support/deliveries";

/** customers/delete as Shopify's webhook reference shows it: the id, and nothing personal. */
function deletePayload(customer: Pick<SandboxCustomer, "id">) {
  return {
    id: customer.id,
    tax_exemptions: [],
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
  };
}

const NO_CONTACT = { email: null, phone: null, firstName: null, lastName: null };

describe("customers/delete forgets the customer and keeps the ledger", () => {
  it("clears the member's personal data, keeps balance and entries, once", async () => {
    // GIVEN a member with contact details, a birthday and points from an order
    const store = newStore();
    const ann = store.addCustomer({
      email: "ann@example.com",
      phone: "+15550001111",
      first_name: "Ann",
      last_name: "Other",
    });
    await deliver("customers/create", ann);
    const order = store.addPaidOrder(ann, [{ title: "Rug", price: "42.00", quantity: 1 }]);
    await deliver("orders/paid", order);
    const before = await memberOf(ann.id);
    await prisma.member.update({ where: { id: before!.id }, data: { birthMonth: 3, birthDay: 9 } });
    const entries = await prisma.ledgerEntry.findMany({ where: { memberId: before!.id } });

    // WHEN Shopify deletes the customer (and the webhook comes twice)
    const first = await deliver("customers/delete", deletePayload(ann));
    const again = await deliver("customers/delete", deletePayload(ann));

    // THEN no personal data is left, the points and their history are
    expect([first.outcome, again.outcome]).toEqual(["applied", "ignored"]);
    expect(await memberOf(ann.id)).toMatchObject({
      id: before!.id,
      status: "deleted",
      ...NO_CONTACT,
      birthMonth: null,
      birthDay: null,
      pointsBalance: 42,
      lifetimeEarned: 42,
    });
    expect(await prisma.ledgerEntry.findMany({ where: { memberId: before!.id } })).toEqual(entries);
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: BigInt(order.id) },
    });
    expect((record.order as { customer: unknown }).customer).toEqual(NO_CONTACT);
    await expectBalanceMatchesLedger(ann.id);
  });

  it("a refund after the deletion claws back without bringing the contact back", async () => {
    const store = newStore();
    const ben = store.addCustomer({ email: "ben@example.com", first_name: "Ben" });
    const order = store.addPaidOrder(ben, [{ title: "Lamp", price: "10.00", quantity: 4 }]);
    await deliver("orders/paid", order);
    await deliver("customers/delete", deletePayload(ben));

    await deliver("refunds/create", store.refundLineItem(order, order.line_items[0]!.id, 1));

    expect(await memberOf(ben.id)).toMatchObject({
      status: "deleted",
      pointsBalance: 30,
      ...NO_CONTACT,
    });
    await expectBalanceMatchesLedger(ben.id);
  });

  it("a customer who was never a member is ignored and not created", async () => {
    const store = newStore();
    const ghost = store.addCustomer({ email: "ghost@example.com" });

    const delivery = await deliver("customers/delete", deletePayload(ghost));

    expect(delivery.outcome).toBe("ignored");
    expect(await memberOf(ghost.id)).toBeNull();
  });

  it("a merged-away customer stays merged when Shopify also deletes it", async () => {
    const store = newStore();
    const kept = store.addCustomer({ email: "stay@example.com" });
    const gone = store.addCustomer({ email: "went@example.com" });
    await deliver("customers/create", gone);
    await deliver("customers/merge", {
      admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${kept.id}`,
      admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${gone.id}`,
      admin_graphql_api_job_id: null,
      status: "completed",
      errors: [],
    });

    const delivery = await deliver("customers/delete", deletePayload(gone));

    expect(delivery.outcome).toBe("ignored");
    const keptMember = await memberOf(kept.id);
    expect(await memberOf(gone.id)).toMatchObject({
      status: "merged",
      mergedIntoId: keptMember!.id,
    });
  });

  it("takes the id from the GID, and rejects a payload without a usable one", async () => {
    const store = newStore();
    const cy = store.addCustomer({ email: "cy@example.com" });
    await deliver("customers/create", cy);

    // A JSON number past 2^53 has lost digits; the GID is exact.
    const byGid = await deliver("customers/delete", {
      ...deletePayload(cy),
      id: Number.MAX_SAFE_INTEGER * 64,
    });
    const missing = await deliver("customers/delete", { tax_exemptions: [] });
    const bad = await deliver("customers/delete", { id: "abc" });

    expect(byGid.outcome).toBe("applied");
    expect((await memberOf(cy.id))?.email).toBeNull();
    expect(missing.outcome).toBe("rejected");
    expect(bad.outcome).toBe("rejected");
    expect(bad.lastError).toMatch(/invalid payload: id/);
  });

  // Known gap, kept visible: ensureMember (members.server.ts) writes contact details onto any
  // member, deleted or not, so a customers/update (or orders/paid) that Shopify sent before the
  // deletion but delivered after it brings the email back. This test starts passing, and must
  // lose its `.fails`, once ensureMember leaves non-active members' contact alone.
  it("a late customers/update does not bring the personal data back", async () => {
    const store = newStore();
    const dot = store.addCustomer({ email: "dot@example.com" });
    await deliver("customers/create", dot);
    await deliver("customers/delete", deletePayload(dot));

    await deliver("customers/update", dot);

    expect((await memberOf(dot.id))?.email).toBeNull();
  });
});
