import type { ActionFunctionArgs } from "@remix-run/node";
import { customActionPoints } from "~/domain/flow-actions/catalog";
import { handleFlowAction } from "~/lib/flow-action-route.server";
import { creditCustomAction } from "~/services/earning-actions/custom-action.server";

/** Flow's "Add points for a custom action": a limit reached is a 409 Flow shows and does not retry. */
export const action = ({ request }: ActionFunctionArgs) =>
  handleFlowAction(request, customActionPoints, (shopId, p, runId) =>
    creditCustomAction({
      shopId,
      customerId: p.customer_id,
      actionName: p.action_name,
      points: p.points,
      limit: p.limit,
      period: p.period,
      idempotencyKey: `flow:${runId}`,
    }),
  );
