import type { Prisma } from "@prisma/client";
import { shopTimeZone } from "~/domain/calendar";
import { applyCustomerMerge, CustomerMergePayload, survivor } from "../members/merge.server";
import { reconcileGoals } from "../goals/reconcile.server";
import { lockMember } from "../members/repository.server";
import { programInForce } from "../program/versions.server";
import type { HandlerOutcome } from "../webhooks/stored-delivery";
import { revalueMemberOrders } from "./reconcile.server";

/**
 * customers/merge, then the kept member's orders valued again on the combined timeline: the
 * merge moves the member (members/merge.server.ts), the orders side values what the move changed,
 * as an order delivered after the merge would have (ADR 0054), and the goals the combined orders
 * reach.
 */
export async function applyCustomerMergeWithOrders(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const outcome = await applyCustomerMerge(tx, shopId, payload);
  if (outcome !== "applied") return outcome;
  const merge = CustomerMergePayload.parse(payload);
  const kept = await survivor(
    tx,
    await lockMember(tx, shopId, merge.admin_graphql_api_customer_kept_id),
  );
  const [{ config }, shop] = await Promise.all([
    programInForce(tx, shopId),
    tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timeZone: true } }),
  ]);
  const now = new Date();
  const revalued = await revalueMemberOrders(tx, kept, config, shopTimeZone(shop.timeZone), now);
  // One person, one set of facts: the goals the combined orders reach are owed once (issue #23).
  await reconcileGoals(tx, revalued, config, now);
  return outcome;
}
