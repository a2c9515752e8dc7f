import type { ActionFunctionArgs } from "@remix-run/node";
import { addPoints } from "~/domain/flow-actions/catalog";
import { handleFlowAction } from "~/lib/flow-action-route.server";
import { adjustPoints } from "~/services/ledger/adjust.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleFlowAction(request, addPoints, (shopId, p, runId) =>
    adjustPoints({
      shopId,
      customerId: p.customer_id,
      points: p.points,
      note: p.note,
      source: "shopify_flow_action",
      idempotencyKey: `flow:${runId}`,
    }),
  );
