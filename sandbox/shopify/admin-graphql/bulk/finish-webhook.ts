/**
 * `bulk_operations/finish`: sent when an operation completes, fails or is canceled
 * (https://shopify.dev/changelog/new-webhook-topic-notifies-when-a-bulk-operation-has-finished),
 * only to apps subscribed to the topic. Payload as in the guide's example
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries#option-a-use-the-bulk_operations-finish-webhook-topic);
 * "the `error_code` and `status` fields in the webhook payload will be lowercase" (same page,
 * #canceled-operations). `type` is lowercase in that example too.
 */
import type { AppConfig } from "../../app-config";
import { subscriptionUri } from "../../app-config";
import type { WebhookSender } from "../../webhook-sender";
import { gid } from "../values";
import type { BulkOperationRecord, BulkOperations } from "./operations";

export const BULK_FINISH_TOPIC = "bulk_operations/finish";

export function bulkFinishPayload(operation: BulkOperationRecord) {
  return {
    admin_graphql_api_id: gid("BulkOperation", operation.id),
    // The same instant BulkOperation.completedAt reports: null unless the operation completed
    // (what Shopify sends here for a failed or canceled operation was not checked).
    completed_at: operation.completedAt?.toISOString() ?? null,
    created_at: operation.createdAt.toISOString(),
    error_code: operation.errorCode?.toLowerCase() ?? null,
    status: operation.status.toLowerCase(),
    type: operation.type.toLowerCase(),
  };
}

/**
 * Delivers the webhook for every operation that finishes, when `config` (shopify.app.toml)
 * subscribes to the topic, through the same sender as every other topic. Returns an unsubscribe.
 */
export function sendBulkFinishWebhooks(
  bulk: BulkOperations,
  webhooks: WebhookSender,
  config: AppConfig,
) {
  return bulk.onFinish(async (operation) => {
    if (!subscriptionUri(config, BULK_FINISH_TOPIC)) return;
    await webhooks.send(BULK_FINISH_TOPIC, bulkFinishPayload(operation));
  });
}
