import type { ActionFunctionArgs } from "@remix-run/node";
import {
  authenticateProxy,
  ensureShopperIsMember,
  proxyAnswer,
  proxyJson,
  readBody,
} from "~/lib/proxy-route.server";
import { BirthdayBody } from "~/lib/request-bodies";
import { setBirthday } from "~/services/members/birthday.server";

/** POST /apps/loyalty/birthday: the signed-in member sets their birthday (month, day, optional year). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = await authenticateProxy(request, "write");
  return proxyJson(async () => {
    if (request.method !== "POST") throw proxyAnswer(405, "method_not_allowed", "Use POST");
    if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to save your birthday");
    await ensureShopperIsMember(proxy);
    const body = BirthdayBody.parse(await readBody(request));
    return setBirthday(proxy.shopId, proxy.customerId, body);
  });
};
