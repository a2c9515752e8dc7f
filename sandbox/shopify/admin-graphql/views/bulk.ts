/** A bulk operation seen through the Admin GraphQL schema (BulkOperation). */
import type { BulkOperationRecord } from "../bulk/operations";
import type { View } from "../context";
import { gid } from "../values";

/** Built on every read: an operation's status and counts change while it runs. */
export function bulkOperationView(operation: BulkOperationRecord): View {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", operation.id),
    type: operation.type,
    status: operation.status,
    errorCode: operation.errorCode,
    createdAt: operation.createdAt.toISOString(),
    completedAt: operation.completedAt?.toISOString() ?? null,
    // UnsignedInt64 is serialized as a string, as in Shopify's examples ("objectCount": "57").
    objectCount: String(operation.objectCount),
    rootObjectCount: String(operation.rootObjectCount),
    fileSize: operation.fileSize === null ? null : String(operation.fileSize),
    url: operation.url,
    partialDataUrl: operation.partialDataUrl,
    query: operation.query,
  };
}
