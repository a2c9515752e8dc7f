/**
 * flowTriggerReceive (https://shopify.dev/docs/apps/build/flow/triggers): the app tells Flow that
 * its trigger fired. The stand-in records the call on the store (`store.adminApi.flowTriggers`)
 * instead of running workflows.
 */
import { GraphQLError } from "graphql";
import type { Resolver, UserError } from "../context";
import { flowPayloadProblems } from "../../flow-trigger-specs";
import { isRecord } from "../values";

/** Flow rejects trigger payloads over 50 KB; 50 000 bytes is the stricter reading of that limit. */
export const FLOW_PAYLOAD_MAX_BYTES = 50_000;

export const flowResolvers: Record<string, Resolver> = {
  "Mutation.flowTriggerReceive": (_source, args, ctx) => {
    if (args.body !== undefined && args.body !== null) {
      throw new GraphQLError(
        "The Shopify stand-in does not implement the deprecated `body` argument; send `handle` and `payload`",
        { extensions: { code: "STAND_IN_NOT_IMPLEMENTED" } },
      );
    }
    const errors: UserError[] = [];
    const handle = typeof args.handle === "string" ? args.handle.trim() : "";
    if (!handle) errors.push({ field: ["handle"], message: "Handle can't be blank" });
    const payload = args.payload;
    if (!isRecord(payload)) {
      errors.push({ field: ["payload"], message: "Payload must be a JSON object" });
    } else {
      const bytes = Buffer.byteLength(JSON.stringify(payload), "utf8");
      if (bytes > FLOW_PAYLOAD_MAX_BYTES) {
        errors.push({
          field: ["payload"],
          message: `Payload is too large (${bytes} bytes); the maximum is 50 KB`,
        });
      }
    }
    if (isRecord(payload) && ctx.flowTriggers && handle) {
      const problems = flowPayloadProblems(ctx.flowTriggers.get(handle), payload);
      errors.push(...problems.map((message) => ({ field: ["payload"], message })));
    }
    if (errors.length > 0 || !isRecord(payload)) return { userErrors: errors };
    ctx.state.recordFlowTrigger(handle, payload, ctx.now);
    return { userErrors: [] };
  },
};
