import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import {
  authenticateProxy,
  ensureShopperIsMember,
  proxyAnswer,
  proxyJson,
  readBody,
} from "~/lib/proxy-route.server";
import { referralUrl } from "~/domain/referrals/link";
import { inviteFriend } from "~/services/referrals/invites.server";
import { claimReferral } from "~/services/referrals/claim.server";
import { claimReferralByEmail } from "~/services/referrals/email-claim.server";
import { referralCodeFor } from "~/services/referrals/program.server";
import { referralWelcome, unknownCode } from "~/services/referrals/welcome.server";
import { REFERRAL_CODE } from "~/domain/referrals/shopper";

/**
 * GET /apps/loyalty/referral?code=X: the welcome for a friend who opened a referral link (the
 * advocate's first name and the friend's reward), signed in or not. Without `code`: the signed-in
 * member's own code and the link to share.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = await authenticateProxy(request);
  return proxyJson(async () => {
    const params = new URL(request.url).searchParams;
    if (params.has("code")) {
      const code = params.get("code")?.trim() ?? "";
      // A link someone mangled is, to the friend, just an unknown code.
      if (!REFERRAL_CODE.test(code)) throw unknownCode(code);
      return referralWelcome(proxy.shopId, code, proxy.customerId);
    }
    if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to refer friends");
    await ensureShopperIsMember(proxy);
    const code = await referralCodeFor(proxy.shopId, proxy.customerId);
    const shop = new URL(request.url).searchParams.get("shop") ?? "";
    return { code, url: referralUrl(shop, code) };
  });
};

const ClaimBody = z.object({ code: z.string().trim().regex(REFERRAL_CODE, "a referral code") });
const EmailClaimBody = ClaimBody.extend({
  email: z.string().trim().pipe(z.email("Enter a valid email address").max(254)),
});
const InviteBody = z.object({ friendEmail: z.string().trim().pipe(z.email().max(254)) });

/**
 * POST /apps/loyalty/referral: `{ code }` — the signed-in friend claims a code (fraud rules
 * apply); `{ code, email }` — a signed-out friend claims with their email (the shop's customer
 * with it, created if new); `{ friendEmail }` — the signed-in member invites a friend
 * (referral.sent to the friend, once a day per friend).
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = await authenticateProxy(request, "write");
  return proxyJson(async () => {
    const body = await readBody(request);
    if ("friendEmail" in body) {
      if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to invite friends");
      await ensureShopperIsMember(proxy);
      const { friendEmail } = InviteBody.parse(body);
      return inviteFriend({
        shopId: proxy.shopId,
        customerId: proxy.customerId,
        shopDomain: new URL(request.url).searchParams.get("shop") ?? "",
        friendEmail,
      });
    }
    if (!proxy.api) throw proxyAnswer(503, "shopify_unavailable", "Try again in a moment");
    if (!proxy.customerId) {
      // Signed out: the friend gives their own email, as on Smile (ADR 0056).
      const { code, email } = EmailClaimBody.parse(body);
      return claimReferralByEmail(proxy.api, { shopId: proxy.shopId, code, email });
    }
    await ensureShopperIsMember(proxy);
    const { code } = ClaimBody.parse(body);
    return claimReferral(proxy.api, {
      shopId: proxy.shopId,
      friendCustomerId: proxy.customerId,
      code,
    });
  });
};
