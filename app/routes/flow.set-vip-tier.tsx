import type { ActionFunctionArgs } from "@remix-run/node";
import { setVipTier } from "~/domain/flow-actions/catalog";
import { handleFlowAction } from "~/lib/flow-action-route.server";
import { setMemberTier } from "~/services/tiers/set-tier.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleFlowAction(request, setVipTier, (shopId, p) =>
    setMemberTier(shopId, p.customer_id, p.tier, p.lock_until),
  );
