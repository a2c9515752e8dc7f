import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  reconcileShopStoreCredit,
  refreshStoreCredit,
} from "~/services/store-credit/refresh.server";
import {
  deliverTo,
  installedStore,
  memberByCustomer,
  runImport,
  type Installed,
} from "../../support/history";
import { adminCallFor } from "../../support/rewards";

// Issue 18.6: store credit stays true. Credit spent at checkout, or issued and removed in Shopify
// admin or by another app, reaches the member's mirror and the outbox (Klaviyo, Flow) once.

async function storeWithCredit(name: string, cents: number) {
  const installed = await installedStore(name);
  const ada = installed.store.addCustomer({ email: `ada-${name}@example.com`, first_name: "Ada" });
  installed.store.adminApi.credit(
    { customerId: ada.id, currencyCode: "USD" },
    cents,
    null,
    new Date(),
  );
  await runImport(installed, { pointsDays: null, storeCredit: true, fireFlows: false });
  return { installed, ada, api: adminCallFor(installed.api) };
}

const creditEvents = (installed: Installed) =>
  prisma.loyaltyEvent.findMany({
    where: { shopId: installed.shopId, type: { startsWith: "store_credit." } },
    orderBy: { createdAt: "asc" },
    include: { deliveries: true },
  });

async function refreshJobs(shopId: string) {
  return prisma.$queryRaw<{ data: { customerIds: string[]; orderId: string | null } }[]>`
    SELECT data FROM pgboss.job WHERE name = 'store-credit.refresh' AND data->>'shopId' = ${shopId}`;
}

describe("store credit spent or changed outside the app", () => {
  it("an order paid partly with store credit: store_credit.debited with the order, balance refreshed", async () => {
    const { installed, ada, api } = await storeWithCredit("checkout", 2500);
    expect((await memberByCustomer(installed.shopId, ada.id)).storeCreditMinor).toBe(2500);

    const order = installed.store.addPaidOrder(
      ada,
      [{ title: "Lantern", price: "40.00", quantity: 1 }],
      { storeCreditMinor: 1000 },
    );
    await deliverTo(installed, "orders/paid", order);
    // The paid order asked for the balance to be read back (its job, with the order).
    const jobs = await refreshJobs(installed.shopId);
    expect(jobs.map((j) => j.data)).toEqual([
      expect.objectContaining({ customerIds: [String(ada.id)], orderId: String(order.id) }),
    ]);
    const { customerIds, orderId } = jobs[0]!.data;
    await refreshStoreCredit(installed.shopId, api, customerIds.map(BigInt), {
      orderId: BigInt(orderId!),
    });

    const member = await memberByCustomer(installed.shopId, ada.id);
    expect(member.storeCreditMinor).toBe(1500);
    const [debited, ...others] = await creditEvents(installed);
    expect(others).toEqual([]);
    expect(debited).toMatchObject({
      type: "store_credit.debited",
      payload: {
        amount_minor: 1000,
        balance_minor: 1500,
        currency: "USD",
        order_id: String(order.id),
        source: "order",
      },
    });
    // In the outbox for the email platform (the snapshot carries the new balance for Klaviyo).
    expect(debited!.deliveries.map((d) => d.destination)).toContain("klaviyo");
    expect((debited!.payload as Record<string, unknown>).amount_formatted).toBe("$10.00");

    // The job run again (a retry) finds nothing new.
    await refreshStoreCredit(installed.shopId, api, [BigInt(ada.id)], {
      orderId: BigInt(order.id),
    });
    expect(await creditEvents(installed)).toHaveLength(1);
  });

  it("credit issued and removed in Shopify admin is found by the daily reconciliation", async () => {
    const { installed, ada, api } = await storeWithCredit("admin-issued", 1200);
    const account = installed.store.adminApi.storeCreditAccountFor(ada.id, "USD")!;

    installed.store.adminApi.credit(account, 800, null, new Date());
    expect(await reconcileShopStoreCredit(installed.shopId, api)).toMatchObject({
      checked: 1,
      credited: 1,
    });
    installed.store.adminApi.debit(account, 300, new Date());
    expect(await reconcileShopStoreCredit(installed.shopId, api)).toMatchObject({ debited: 1 });
    // Nothing changed since: nothing announced.
    expect(await reconcileShopStoreCredit(installed.shopId, api)).toMatchObject({
      credited: 0,
      debited: 0,
    });

    const events = await creditEvents(installed);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      [
        "store_credit.credited",
        expect.objectContaining({ amount_minor: 800, balance_minor: 2000, source: "outside_app" }),
      ],
      [
        "store_credit.debited",
        expect.objectContaining({
          amount_minor: 300,
          balance_minor: 1700,
          order_id: null,
          source: "outside_app",
        }),
      ],
    ]);
    expect((await memberByCustomer(installed.shopId, ada.id)).storeCreditMinor).toBe(1700);
  });

  it("leaves a member whose cashback the app is still sending for the next run", async () => {
    const { installed, ada, api } = await storeWithCredit("in-flight", 1000);
    const member = await memberByCustomer(installed.shopId, ada.id);
    // The app has sent $5.00 of cashback: Shopify has it, the answer is not recorded yet.
    installed.store.adminApi.credit(
      installed.store.adminApi.storeCreditAccountFor(ada.id, "USD")!,
      500,
      null,
      new Date(),
    );
    await prisma.storeCreditTransaction.create({
      data: {
        shopId: installed.shopId,
        memberId: member.id,
        customerId: member.customerId,
        kind: "credit",
        source: "cashback",
        idempotencyKey: "cashback:in-flight",
        amountMinor: 500,
        currency: "USD",
        state: "sending",
        sentAt: new Date(),
      },
    });

    expect(await refreshStoreCredit(installed.shopId, api, [BigInt(ada.id)])).toMatchObject({
      skipped: 1,
      credited: 0,
    });
    expect((await memberByCustomer(installed.shopId, ada.id)).storeCreditMinor).toBe(1000);
    expect(await creditEvents(installed)).toEqual([]);
  });
});
