/** The Shopify stand-in's Admin GraphQL endpoint and the schema tools it shares with the contract tests. */
export { ADMIN_GRAPHQL_PATH, createAdminGraphqlHandler, DEFAULT_MAX_QUERY_COST } from "./handler";
export type { AdminGraphqlHandlerOptions } from "./handler";
export {
  ADMIN_API_VERSION,
  contractUrl,
  documentAccessRequirements,
  expandScopes,
  loadAdminSchema,
  missingAccess,
} from "./schema";
export type { AccessRequirement, AccessRule, AdminSchema } from "./schema";
export { validateAdminDocument } from "./validation";
export type { ShopifyGraphqlError } from "./validation";
export { actualQueryCost, requestedQueryCost } from "./cost";
export { LeakyBuckets, STANDARD_PLAN_BUCKET } from "./throttle";
export type { BucketOptions, ThrottleStatus } from "./throttle";
export { AdminApiState } from "./state";
export { BulkOperations, BULK_RESULT_PATH } from "./bulk/operations";
export type {
  BulkFault,
  BulkOperationErrorCode,
  BulkOperationRecord,
  BulkOperationStatus,
} from "./bulk/operations";
export {
  BULK_FINISH_TOPIC,
  bulkFinishPayload,
  sendBulkFinishWebhooks,
} from "./bulk/finish-webhook";
export { BULK_QUERY_CONCURRENCY } from "./resolvers/bulk";
