import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  accountJson,
  authenticateCustomerAccount,
  withAdmin,
} from "~/lib/customer-account-route.server";
import { ensureShopperIsMember, proxyAnswer } from "~/lib/proxy-route.server";
import { pointsHistory } from "~/services/storefront/account.server";
import { storefrontMember } from "~/services/storefront/member.server";

/**
 * GET /customer-account/member: what the customer account extensions show the signed-in customer
 * (the profile block and the Rewards page): the storefront widget's answer (balance, tier and
 * progress, rewards, codes, referral link, birthday) and the latest points history. A customer
 * from before the install joins on their first visit, as on the storefront.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateCustomerAccount(request);
  return accountJson(context, async () => {
    const { shopId, customerId, shopDomain } = context;
    if (customerId === null) throw proxyAnswer(401, "sign_in", "Sign in to see your points");
    const now = new Date();
    let answer = await storefrontMember(shopId, customerId, shopDomain, now);
    if (!answer.member) {
      await ensureShopperIsMember(await withAdmin(context));
      answer = await storefrontMember(shopId, customerId, shopDomain, now);
    }
    return { ...answer, history: await pointsHistory(shopId, customerId) };
  });
};
