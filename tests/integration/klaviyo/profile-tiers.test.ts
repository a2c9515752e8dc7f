import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { formatIsoDate, localDate } from "~/domain/calendar";
import type { TierRule } from "~/domain/tiers";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { saveProgram } from "~/services/program/versions.server";
import { deliver, newStore } from "../../support/deliveries";
import { KLAVIYO_KEY, klaviyoStandIn } from "../../support/klaviyo";

const klaviyo = klaviyoStandIn();
const DAY = 86_400_000;

// Gold takes $1,000 in 365 days and is kept at a period end with $500.
const TIERS: TierRule[] = [
  {
    id: "silver",
    name: "Silver",
    threshold: { kind: "spend_365d", minor: 100_00 },
    earnMultiplier: 1,
    entryBonusPoints: 0,
  },
  {
    id: "gold",
    name: "Gold",
    threshold: { kind: "spend_365d", minor: 1_000_00 },
    maintainMinor: 500_00,
    earnMultiplier: 1,
    entryBonusPoints: 0,
  },
];

describe("Klaviyo profile: the tier drop date if nothing changes", () => {
  it("is the period end until spend already keeps the tier there, then the next review", async () => {
    const store = newStore();
    const ana = store.addCustomer({ email: "ana-drop@example.com" });
    await deliver("customers/create", ana);
    const shop = await prisma.shop.findFirstOrThrow();
    await saveProgram(prisma, shop.id, { tiers: TIERS }, "test");
    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    const dayOf = (at: Date) => formatIsoDate(localDate(at, shop.timeZone));
    const dropDate = async () => {
      await drainKlaviyo(shop.id);
      const profile = klaviyo().state.findProfile({ email: "ana-drop@example.com" })!;
      return profile.properties.loyalty_tier_expiry_date;
    };

    // Gold 200 days ago; at its period end that order has left the window: Gold ends then.
    await deliver(
      "orders/paid",
      store.addPaidOrder(ana, [{ title: "Sofa", price: "1000.00", quantity: 1 }], {
        at: new Date(Date.now() - 200 * DAY),
      }),
    );
    const gold = await prisma.member.findFirstOrThrow({ where: { email: "ana-drop@example.com" } });
    expect(gold.tierId).toBe("gold");
    const periodEnd = gold.tierPeriodEndsAt!;
    expect(await dropDate()).toBe(dayOf(periodEnd));

    // $600 today is still in the window at that end (≥ $500 keeps Gold): renewed there, and
    // dropped a period later when it has aged out — the date the member would really fall.
    await deliver(
      "orders/paid",
      store.addPaidOrder(ana, [{ title: "Lamp", price: "600.00", quantity: 1 }]),
    );
    const after = await prisma.member.findFirstOrThrow({ where: { id: gold.id } });
    expect(after.tierPeriodEndsAt).toEqual(periodEnd); // the period itself is unchanged
    expect(await dropDate()).toBe(dayOf(new Date(periodEnd.getTime() + 365 * DAY)));
  });
});
