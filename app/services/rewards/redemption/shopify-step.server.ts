import type { Redemption } from "@prisma/client";
import { minorToDecimalString } from "~/domain/rewards/index";
import {
  createDiscountCode,
  createGiftCard,
  deleteDiscountCode,
  findDiscountByCode,
  type AdminCall,
} from "~/integrations/shopify/rewards.server";
import { creditStoreCredit } from "~/integrations/shopify/store-credit.server";
import { snapshotOf } from "./hold.server";

const customerGid = (customerId: bigint) => `gid://shopify/Customer/${customerId}`;

export interface CreatedReward {
  /** The Shopify object's gid; null for a custom reward, which the merchant fulfils by hand. */
  id: string | null;
  /** Store credit rewards: the account balance after the credit (minor units); null otherwise. */
  creditBalanceMinor: number | null;
}

/** Creates the Shopify object of a held redemption (or throws, see rewards.server). */
export async function createShopifyReward(
  api: AdminCall,
  redemption: Redemption,
  customerId: bigint,
  now: Date,
): Promise<CreatedReward> {
  const id = await createObject(api, redemption, customerId, now);
  return typeof id === "string" ? { id, creditBalanceMinor: null } : id;
}

async function createObject(
  api: AdminCall,
  redemption: Redemption,
  customerId: bigint,
  now: Date,
): Promise<string | CreatedReward> {
  const { definition } = snapshotOf(redemption);
  // The shop's currency when redeemed (the hold stores it on every redemption).
  const currency = redemption.currency ?? "USD";
  const amount = () => minorToDecimalString(redemption.valueMinor ?? 0, currency);
  const customer = customerGid(customerId);
  switch (definition.type) {
    case "store_credit": {
      const credited = await creditStoreCredit(api, {
        customerGid: customer,
        amount: amount(),
        currency,
        expiresAt: redemption.expiresAt,
      });
      return { id: credited.transactionId, creditBalanceMinor: credited.balanceAfterMinor };
    }
    case "custom":
      // The merchant's promise (gift wrap, a call): Shopify has nothing to create, so the reward
      // is issued at once with the app's own reference code and no API call.
      return { id: null, creditBalanceMinor: null };
    case "gift_card":
      return createGiftCard(api, {
        code: requireCode(redemption),
        customerGid: customer,
        amount: amount(),
        currency,
        expiresOn: redemption.expiresAt?.toISOString().slice(0, 10) ?? null,
        note: `Loyalty reward ${definition.name} (${redemption.id})`,
      });
    default: {
      const money = (minor: number | null) =>
        minor === null ? null : minorToDecimalString(minor, currency);
      return createDiscountCode(api, {
        kind: definition.type === "free_shipping" ? "free_shipping" : "basic",
        code: requireCode(redemption),
        title: `Loyalty: ${definition.name}`,
        customerGid: customer,
        startsAt: now,
        endsAt: redemption.expiresAt,
        minimumSubtotal: money(definition.minimumSubtotalMinor),
        combinesWith: definition.combinesWith,
        ...(definition.type === "percentage" ? { percentage: definition.percentage / 100 } : {}),
        ...(definition.type === "free_product"
          ? { percentage: 1, variantGid: `gid://shopify/ProductVariant/${definition.variantId}` }
          : {}),
        ...(definition.type === "fixed_amount" || definition.type === "pay_with_points"
          ? { amount: amount() }
          : {}),
        ...(definition.type === "free_shipping"
          ? { maximumShippingPrice: money(definition.maximumShippingPriceMinor) }
          : {}),
      });
    }
  }
}

/**
 * Makes sure a redemption's code is not usable: finds it by its code (the create may have
 * happened even if its answer was lost) and deletes it. "absent" means Shopify has no such code
 * now (never any for a custom reward); "unverifiable" is for store credit and gift cards, which
 * cannot be looked up this way.
 */
export async function removeShopifyReward(
  api: AdminCall,
  redemption: Redemption,
  knownId: string | null = null,
): Promise<"deleted" | "absent" | "unverifiable"> {
  const { definition } = snapshotOf(redemption);
  if (definition.type === "store_credit" || definition.type === "gift_card") return "unverifiable";
  if (definition.type === "custom") return "absent";
  const id = knownId ?? (await findDiscountByCode(api, requireCode(redemption)));
  if (!id) return "absent";
  await deleteDiscountCode(api, id);
  return "deleted";
}

function requireCode(redemption: Redemption): string {
  if (!redemption.code) throw new Error(`redemption ${redemption.id} has no code`);
  return redemption.code;
}
