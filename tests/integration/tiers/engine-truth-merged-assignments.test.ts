import { describe, expect, it } from "vitest";
import { setMemberTier } from "~/services/tiers/set-tier.server";
import type { SandboxCustomer } from "../../../sandbox/shopify/store";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  mergePayload,
} from "../../support/deliveries";
import { shopWithTiers } from "../../support/tiers";

// ADR 0054: after a customer merge, the kept customer's tier assignments stay, and the merged
// customer's assignments can lift the combined member but never lower it — the same whether the
// merged customer's order arrives before or after the merge.

const DAY = 86_400_000;

async function stateOf(customer: SandboxCustomer) {
  const member = (await memberOf(customer.id))!;
  await expectBalanceMatchesLedger(customer.id);
  return { tierId: member.tierId, pointsBalance: member.pointsBalance };
}

describe("tier assignments of merged customers", () => {
  it("the merged customer's higher assignment lifts the kept member, in either arrival order", async () => {
    const { store, shopId } = await shopWithTiers();
    const results = [];
    for (const orderBeforeMerge of [true, false]) {
      const kept = store.addCustomer({ email: `kept-lift-${orderBeforeMerge}@example.com` });
      const gone = store.addCustomer({ email: `gone-lift-${orderBeforeMerge}@example.com` });
      await deliver("customers/create", kept);
      await deliver("customers/create", gone);
      await setMemberTier(shopId, BigInt(kept.id), "Silver", null);
      await setMemberTier(shopId, BigInt(gone.id), "Gold", null);
      const order = store.addPaidOrder(gone, [{ title: "Item", price: "40.00", quantity: 1 }], {
        at: new Date(Date.now() - 3 * DAY),
      });
      if (orderBeforeMerge) await deliver("orders/paid", order);
      await deliver("customers/merge", mergePayload(kept, gone));
      if (!orderBeforeMerge) await deliver("orders/paid", order);
      results.push({ kept, state: await stateOf(kept) });
    }

    expect(results[0]!.state.tierId).toBe("gold");
    expect(results[1]!.state).toEqual(results[0]!.state);
    // Each tier's entry bonus is owed once on the combined member: 10 (Silver) + 100 (Gold) + 40.
    expect(results[0]!.state.pointsBalance).toBe(150);
    const lastTier = (await eventsOf(results[1]!.kept.id, "tier.updated")).at(-1)?.payload;
    expect(lastTier).toMatchObject({ current_tier: "Gold" });
  });

  it("the merged customer's lower assignment never lowers the kept member", async () => {
    const { store, shopId } = await shopWithTiers();
    const kept = store.addCustomer({ email: "kept-floor@example.com" });
    const gone = store.addCustomer({ email: "gone-floor@example.com" });
    await deliver("customers/create", kept);
    await deliver("customers/create", gone);
    await setMemberTier(shopId, BigInt(kept.id), "Gold", null);
    // Assigned later than the kept customer's Gold: still no way down for the combined member.
    await setMemberTier(shopId, BigInt(gone.id), "Silver", null);

    await deliver("customers/merge", mergePayload(kept, gone));

    expect((await stateOf(kept)).tierId).toBe("gold");
    const downgrades = (await eventsOf(kept.id, "tier.updated"))
      .map((event) => event.payload as { change: string })
      .filter((payload) => payload.change.endsWith("downgrade"));
    expect(downgrades).toEqual([]);
  });
});
