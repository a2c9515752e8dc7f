import type { ActionFunctionArgs } from "@remix-run/node";
import {
  accountJson,
  authenticateCustomerAccount,
  withAdmin,
} from "~/lib/customer-account-route.server";
import { ensureShopperIsMember, proxyAnswer, readBody } from "~/lib/proxy-route.server";
import { BirthdayBody } from "~/lib/request-bodies";
import { setBirthday } from "~/services/members/birthday.server";

/** POST /customer-account/birthday: the signed-in customer sets their birthday, as on the storefront. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const authenticated = await authenticateCustomerAccount(request, "write");
  return accountJson(authenticated, async () => {
    if (request.method !== "POST") throw proxyAnswer(405, "method_not_allowed", "Use POST");
    const { shopId, customerId } = authenticated;
    if (customerId === null) throw proxyAnswer(401, "sign_in", "Sign in to save your birthday");
    const body = BirthdayBody.parse(await readBody(request));
    await ensureShopperIsMember(await withAdmin(authenticated));
    return setBirthday(shopId, customerId, body);
  });
};
