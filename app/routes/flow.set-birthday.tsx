import type { ActionFunctionArgs } from "@remix-run/node";
import { setBirthday as definition } from "~/domain/flow-actions/catalog";
import { handleFlowAction } from "~/lib/flow-action-route.server";
import { setBirthday } from "~/services/members/birthday.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleFlowAction(request, definition, (shopId, p) =>
    setBirthday(shopId, p.customer_id, { month: p.month, day: p.day }),
  );
