import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import { authenticatePos, posCustomerId, posJson } from "~/lib/pos-route.server";
import { proxyAnswer, readBody } from "~/lib/proxy-route.server";
import { redeemFields } from "~/lib/request-bodies";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";

const RedeemBody = z.object({ customer: z.string().min(1).max(60), ...redeemFields });

/**
 * POST /pos/redeem: the cart's customer spends points on a reward at the till, with the same
 * all-or-nothing redemption and idempotency as online; the extension applies the code to the
 * POS cart. Points only ever come from the customer named, never from the staff member.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticatePos(request, "write");
  return posJson(context, async () => {
    if (request.method !== "POST") throw proxyAnswer(405, "method_not_allowed", "Use POST");
    const body = RedeemBody.parse(await readBody(request));
    const customerId = posCustomerId(body.customer);
    return redeemReward(await offlineAdminCall(context.shopId), {
      shopId: context.shopId,
      customerId,
      reward: { handle: body.reward },
      points: body.points,
      requestKey: `pos:${context.staffId}:${body.request_id}`,
      source: "points_redemption",
    });
  });
};
