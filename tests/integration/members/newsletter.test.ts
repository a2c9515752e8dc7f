/**
 * The newsletter sign-up bonus (issue #23): points the first time a customer subscribes to email
 * marketing, from Shopify's customers_email_marketing_consent/update webhook (customer payloads no
 * longer carry consent), once per customer whatever the order and repeats of the deliveries.
 */
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { saveProgram } from "~/services/program/versions.server";
import { ensureShop } from "~/services/shops/ensure.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  mergePayload,
  newStore,
} from "../../support/deliveries";
import { TEST_SHOP } from "../../support/webhooks";

const TOPIC = "customers_email_marketing_consent/update";

/** The payload as Shopify sends it for this topic. */
function consent(customer: { id: number; email?: string | null }, state: string) {
  return {
    customer_id: customer.id,
    email_address: customer.email ?? null,
    email_marketing_consent: {
      state,
      opt_in_level: state === "subscribed" ? "single_opt_in" : null,
      consent_updated_at: new Date().toISOString(),
    },
  };
}

async function newsletterBonuses(customerId: number) {
  return (await eventsOf(customerId, "points.added"))
    .map((event) => event.payload as { points: number; source: string })
    .filter((payload) => payload.source === "newsletter_signup");
}

beforeAll(async () => {
  const shop = await ensureShop(prisma, TEST_SHOP);
  await saveProgram(prisma, shop.id, { bonuses: { newsletterPoints: 50 } }, "test");
});

describe("newsletter sign-up bonus", () => {
  it("pays once on the first subscription: not on pending, not again after unsubscribing", async () => {
    const store = newStore();
    const ana = store.addCustomer({ email: "ana-news@example.com" });
    await deliver("customers/create", ana);

    await deliver(TOPIC, consent(ana, "pending"));
    expect((await memberOf(ana.id))!.pointsBalance).toBe(0);
    const subscribed = consent(ana, "subscribed");
    await deliver(TOPIC, subscribed, "consent-ana-1");
    await deliver(TOPIC, subscribed, "consent-ana-1");
    await deliver(TOPIC, consent(ana, "unsubscribed"));
    await deliver(TOPIC, consent(ana, "subscribed"));

    expect((await memberOf(ana.id))!.pointsBalance).toBe(50);
    expect(await newsletterBonuses(ana.id)).toEqual([
      expect.objectContaining({ points: 50, source: "newsletter_signup", order_id: null }),
    ]);
    await expectBalanceMatchesLedger(ana.id);
  });

  it("a consent before anything else makes the member (announced once) and pays once", async () => {
    const store = newStore();
    const bo = store.addCustomer({ email: "bo-news@example.com" });

    await deliver(TOPIC, consent(bo, "subscribed"));
    await deliver("customers/create", bo);

    expect((await memberOf(bo.id))!.pointsBalance).toBe(50);
    expect((await memberOf(bo.id))!.email).toBe("bo-news@example.com");
    expect(await eventsOf(bo.id, "member.activated")).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({ source: "customer_updated" }),
      }),
    ]);
  });

  it("a merged customer's subscription is credited to the kept member in either order", async () => {
    const store = newStore();
    const keptFirst = store.addCustomer({ email: "kept-a@example.com" });
    const goneFirst = store.addCustomer({ email: "gone-a@example.com" });
    const keptLater = store.addCustomer({ email: "kept-b@example.com" });
    const goneLater = store.addCustomer({ email: "gone-b@example.com" });
    for (const customer of [keptFirst, goneFirst, keptLater, goneLater]) {
      await deliver("customers/create", customer);
    }

    // Merge, then the merged-away customer's consent arrives late.
    await deliver("customers/merge", mergePayload(keptFirst, goneFirst));
    await deliver(TOPIC, consent(goneFirst, "subscribed"));
    // Consent first, then the merge.
    await deliver(TOPIC, consent(goneLater, "subscribed"));
    await deliver("customers/merge", mergePayload(keptLater, goneLater));

    expect((await memberOf(keptFirst.id))!.pointsBalance).toBe(50);
    expect((await memberOf(keptLater.id))!.pointsBalance).toBe(50);
  });

  it("pays nothing while the bonus is off, and refuses a malformed payload", async () => {
    const store = newStore();
    const cy = store.addCustomer({ email: "cy-news@example.com" });
    await deliver("customers/create", cy);
    const shop = await ensureShop(prisma, TEST_SHOP);
    await saveProgram(prisma, shop.id, { bonuses: { newsletterPoints: 0 } }, "test");
    try {
      await deliver(TOPIC, consent(cy, "subscribed"));
      expect((await memberOf(cy.id))!.pointsBalance).toBe(0);

      const malformed = await deliver(TOPIC, { email_marketing_consent: { state: "subscribed" } });
      expect(malformed.outcome).toBe("rejected");
      expect(malformed.lastError).toContain("customer_id");
    } finally {
      await saveProgram(prisma, shop.id, { bonuses: { newsletterPoints: 50 } }, "test");
    }
  });
});
