import type { AdminCall } from "~/integrations/shopify/rewards.server";
import type { MemberFormInput } from "~/lib/member-forms";
import { redeemReward } from "../rewards/redemption/redeem.server";
import { adjustPoints } from "../ledger/adjust.server";
import { setBirthday } from "./birthday.server";
import { memberOfShop } from "./profile.server";
import prisma from "~/db.server";
import { toMinorUnits } from "~/domain/money";
import { LoyaltyError } from "../errors";
import { requestManualStoreCredit } from "../store-credit/manual.server";
import { voidRedemption } from "../rewards/redemption/void.server";
import { fulfilRedemption } from "../rewards/redemption/fulfil.server";
import { setMemberTier } from "../tiers/set-tier.server";
import { redemptionOfMember } from "./rewards.server";

/**
 * The member page's actions, by member id (the page's URL) instead of Shopify customer id. Each
 * delegates to the service Flow actions use too, so admin and Flow apply the same rules and events.
 */
export async function applyMemberForm(
  shopId: string,
  memberId: string,
  form: MemberFormInput,
  api: AdminCall,
) {
  const { customerId } = await memberOfShop(shopId, memberId);
  switch (form.intent) {
    case "redeem": {
      // The storefront's redemption, keyed by the rendered form: a resubmission redeems once.
      const issued = await redeemReward(api, {
        shopId,
        customerId,
        reward: { handle: form.reward },
        points: form.points,
        requestKey: `admin:redeem:${form.formToken}`,
        source: "points_redemption",
      });
      return { intent: form.intent, outcome: "redeemed", issued } as const;
    }
    case "adjust": {
      const result = await adjustPoints({
        shopId,
        customerId,
        points: form.points,
        note: form.note,
        source: "manual",
        idempotencyKey: `admin:adjust:${form.formToken}`,
      });
      return result.applied
        ? ({ intent: form.intent, outcome: "adjusted", points: form.points } as const)
        : ({ intent: form.intent, outcome: "duplicate" } as const);
    }
    case "tier": {
      const result = await setMemberTier(shopId, customerId, form.tier, form.lockUntil);
      return { intent: form.intent, outcome: "tierSet", tier: result.tier } as const;
    }
    case "birthday": {
      const birthday = { month: form.month, day: form.day, year: form.year };
      const result = await setBirthday(shopId, customerId, birthday);
      return {
        intent: form.intent,
        outcome: result.changed ? "birthdaySet" : "birthdayUnchanged",
      } as const;
    }
    case "storeCredit": {
      const { currency } = await prisma.shop.findUniqueOrThrow({
        where: { id: shopId },
        select: { currency: true },
      });
      // "1.234" in USD, "1.5" in JPY: more decimals than the shop's currency has.
      let amountMinor = 0;
      try {
        amountMinor = toMinorUnits(form.amount, currency);
      } catch {
        throw new LoyaltyError("invalid_input", "members.errors.creditAmount");
      }
      if (amountMinor <= 0) throw new LoyaltyError("invalid_input", "members.errors.creditAmount");
      const { recorded } = await requestManualStoreCredit({
        shopId,
        memberId,
        direction: form.direction,
        amountMinor,
        expiresAt: form.expiresOn ? new Date(`${form.expiresOn}T23:59:59Z`) : null,
        note: form.note,
        requestKey: form.formToken,
      });
      return {
        intent: form.intent,
        outcome: recorded
          ? form.direction === "credit"
            ? "creditSent"
            : "debitSent"
          : "duplicate",
        amountMinor,
        currency,
      } as const;
    }
    case "void": {
      // Only this member's rewards: a forged id of another member's reward is "not found".
      const redemption = await redemptionOfMember(shopId, memberId, form.redemption);
      if (!redemption) throw new LoyaltyError("reward_not_found", "member.void.error.notFound");
      const { pointsReturned } = await voidRedemption(
        api,
        shopId,
        redemption.id,
        "Voided by staff in the admin",
      );
      return { intent: form.intent, outcome: "voided", pointsReturned } as const;
    }
    case "fulfil": {
      const redemption = await redemptionOfMember(shopId, memberId, form.redemption);
      if (!redemption) throw new LoyaltyError("reward_not_found", "member.void.error.notFound");
      const { changed } = await fulfilRedemption(shopId, redemption.id);
      return { intent: form.intent, outcome: changed ? "fulfilled" : "alreadyFulfilled" } as const;
    }
  }
}
