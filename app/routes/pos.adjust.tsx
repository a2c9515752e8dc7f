import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticatePos, posCustomerId, posJson } from "~/lib/pos-route.server";
import { proxyAnswer, readBody } from "~/lib/proxy-route.server";
import { requestIdField } from "~/lib/request-bodies";
import { adjustPoints } from "~/services/ledger/adjust.server";

const AdjustBody = z.object({
  customer: z.string().min(1).max(60),
  points: z.coerce
    .number()
    .int("points: a whole number")
    .refine((n) => n !== 0, "points: add or take at least 1 point")
    .refine((n) => Math.abs(n) <= 100_000, "points: at most 100,000 at a time"),
  /** Why: required at the till, it is what the merchant reads later on the member page. */
  note: z.string().trim().min(3, "note: say why (at least 3 characters)").max(300),
  request_id: requestIdField,
});

/**
 * POST /pos/adjust: a staff member adds or takes points for the cart's customer, with a required
 * note (recorded with who did it) — a manual adjustment like the member page's, applied once per
 * tap however often the request is resent.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticatePos(request, "write");
  return posJson(context, async () => {
    if (request.method !== "POST") throw proxyAnswer(405, "method_not_allowed", "Use POST");
    const body = AdjustBody.parse(await readBody(request));
    return adjustPoints({
      shopId: context.shopId,
      customerId: posCustomerId(body.customer),
      points: body.points,
      note: `POS (staff ${context.staffId}): ${body.note}`,
      source: "manual",
      idempotencyKey: `pos:${context.staffId}:${body.request_id}`,
    });
  });
};
