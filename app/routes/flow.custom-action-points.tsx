import type { ActionFunctionArgs } from "@remix-run/node";
import { customActionPoints } from "~/domain/flow-actions/catalog";
import { handleFlowAction } from "~/lib/flow-action-route.server";
import { creditCustomAction } from "~/services/earning-actions/custom-action.server";

/**
 * Flow's "Add points for a custom action": the points and limit of the action Settings has under
 * that name. An unknown or switched-off name is a 422 and a limit reached a 409, both final
 * answers Flow shows and does not retry.
 */
export const action = ({ request }: ActionFunctionArgs) =>
  handleFlowAction(request, customActionPoints, (shopId, p, runId) =>
    creditCustomAction({
      shopId,
      customerId: p.customer_id,
      actionName: p.action_name,
      idempotencyKey: `flow:${runId}`,
    }),
  );
