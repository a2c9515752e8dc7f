import {
  runAdminQuery,
  ShopifyGraphqlError,
  type AdminGraphql,
} from "../shopify/admin-client.server";

// https://shopify.dev/docs/api/admin-graphql/latest/mutations/flowTriggerReceive (`body` is deprecated).
const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String, $payload: JSON) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }`;

export type TriggerResult =
  | { outcome: "delivered" }
  /** Flow refused this payload; sending it again would fail the same way. */
  | { outcome: "rejected"; message: string };

/**
 * Fires one Flow trigger. userErrors are a permanent refusal of this payload; throttling and
 * transport errors throw (the caller retries later, the delivery stays pending).
 */
export async function fireFlowTrigger(
  admin: AdminGraphql,
  handle: string,
  payload: Record<string, unknown>,
): Promise<TriggerResult> {
  try {
    const data = await runAdminQuery<{
      flowTriggerReceive: { userErrors: { field: string[] | null; message: string }[] };
    }>(admin, "FlowTriggerReceive", FLOW_TRIGGER_RECEIVE, { handle, payload });
    const errors = data.flowTriggerReceive.userErrors;
    if (errors.length === 0) return { outcome: "delivered" };
    return {
      outcome: "rejected",
      message: errors.map((e) => `${e.field?.join(".") ?? "payload"}: ${e.message}`).join("; "),
    };
  } catch (error) {
    // A document Shopify calls invalid will never pass: treat it like userErrors, loudly.
    if (error instanceof ShopifyGraphqlError && !error.throttled) {
      return { outcome: "rejected", message: error.message };
    }
    throw error;
  }
}
