import type { AdminCall } from "~/integrations/shopify/rewards.server";
import type { MemberFormInput } from "~/lib/member-forms";
import { redeemReward } from "../rewards/redemption/redeem.server";
import { adjustPoints } from "../ledger/adjust.server";
import { setBirthday } from "./birthday.server";
import { memberOfShop } from "./profile.server";
import { setMemberTier } from "../tiers/set-tier.server";

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
  }
}
