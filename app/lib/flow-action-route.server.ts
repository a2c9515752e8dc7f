import { z, ZodError } from "zod";
import type { FlowActionDefinition } from "~/domain/flow-actions/catalog";
import { LOYALTY_ERROR_STATUS, LoyaltyError } from "~/services/errors";
import { offlineAdmin } from "~/integrations/shopify/offline-admin.server";
import { runFlowActionOnce, type FlowActionAnswer } from "~/services/flow/actions.server";
import { ensureKnownCustomer } from "~/services/members/on-demand.server";
import { authenticate } from "~/shopify.server";
import { logger } from "./logger.server";

const FlowRequest = z.object({
  shopify_domain: z.string().min(1),
  action_run_id: z.string().min(1),
  handle: z.string().optional(),
  properties: z.record(z.string(), z.unknown()),
});

/** Flow shows a 4xx body's message to the merchant and does not retry; 5xx/429 are retried. */
const STATUS = LOYALTY_ERROR_STATUS;

/**
 * The whole of a Flow action route: verify the HMAC (authenticate.flow: 400 when it is wrong),
 * parse the properties with the action's schema, run once per action_run_id, answer as Flow
 * expects (https://shopify.dev/docs/apps/build/flow/actions/endpoints).
 */
export async function handleFlowAction<S extends z.ZodType>(
  request: Request,
  definition: FlowActionDefinition<S>,
  apply: (
    shopId: string,
    properties: z.output<S>,
    actionRunId: string,
  ) => Promise<Record<string, unknown>>,
): Promise<Response> {
  const { payload } = await authenticate.flow(request);
  const envelope = FlowRequest.safeParse(payload);
  if (!envelope.success)
    return answer({ status: 400, body: { error: "Not a Flow action request" } });
  const { shopify_domain: shop, action_run_id: runId, properties } = envelope.data;
  const result = await runFlowActionOnce(shop, runId, definition.handle, async (shopId) => {
    const parsed = definition.properties.safeParse(properties);
    if (!parsed.success) return failure(422, "invalid_input", describe(parsed.error));
    try {
      // A customer the app has not seen yet (from before the install) is read from Shopify and
      // becomes a member, instead of a "not found" for a real customer.
      const customerId = (parsed.data as { customer_id?: unknown }).customer_id;
      if (typeof customerId === "bigint") {
        await ensureKnownCustomer(shopId, customerId, "shopify_flow_action", () =>
          offlineAdmin(shop),
        );
      }
      return { status: 200, body: { ok: true, ...(await apply(shopId, parsed.data, runId)) } };
    } catch (error) {
      if (error instanceof LoyaltyError)
        return failure(STATUS[error.code], error.code, error.message);
      if (error instanceof ZodError) return failure(422, "invalid_input", describe(error));
      logger.error("flow action failed", { handle: definition.handle, error: String(error) });
      return failure(
        500,
        "temporary_failure",
        "The loyalty app could not finish; Flow will retry.",
      );
    }
  });
  return answer(result);
}

function failure(status: number, code: string, message: string): FlowActionAnswer {
  return { status, body: { ok: false, code, message } };
}

function describe(error: ZodError) {
  return error.issues.map((i) => `${i.path.join(".") || "properties"}: ${i.message}`).join("; ");
}

function answer({ status, body }: FlowActionAnswer) {
  return Response.json(body, { status });
}
