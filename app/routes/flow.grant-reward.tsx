import type { ActionFunctionArgs } from "@remix-run/node";
import { grantReward } from "~/domain/flow-actions/catalog";
import { handleFlowAction } from "~/lib/flow-action-route.server";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleFlowAction(request, grantReward, async (shopId, p, runId) => {
    const issued = await redeemReward(await offlineAdminCall(shopId), {
      shopId,
      customerId: p.customer_id,
      reward: { handle: p.reward },
      requestKey: `flow:${runId}`,
      source: "shopify_flow_action",
    });
    return { reward: issued.rewardName, code: issued.code };
  });
