/**
 * Bulk query operations (https://shopify.dev/docs/api/usage/bulk-operations/queries):
 * `bulkOperationRunQuery`, `bulkOperationCancel`, and the reads `bulkOperation(id:)`,
 * `bulkOperations(...)` and the deprecated `currentBulkOperation(type:)` (all in the 2026-10
 * schema; `node(id:)` is in query.ts). Bulk mutations (`bulkOperationRunMutation`) are not
 * implemented.
 */
import type { BulkOperationRecord } from "../bulk/operations";
import { analyzeBulkQuery } from "../bulk/rules";
import { bulkJob, prepareBulkRun } from "../bulk/runner";
import { paginate } from "../connection";
import type { Resolver, UserError } from "../context";
import { compare, notImplemented, parseSearch, timeValue } from "../search-terms";
import type { SearchTerm } from "../search-terms";
import { idOfType } from "../values";
import { bulkOperationView } from "../views/index";

/**
 * "In API versions 2026-01 and higher, you can run up to five bulk query operations at a time per
 * shop" (https://shopify.dev/docs/api/usage/bulk-operations/queries#limitations). Which code
 * refuses a sixth is not documented: LIMIT_REACHED is the schema's code for a reached limit
 * (OPERATION_IN_PROGRESS answered the one-at-a-time rule of earlier versions); not verified.
 */
export const BULK_QUERY_CONCURRENCY = 5;

const TERMINAL = ["COMPLETED", "FAILED", "CANCELED", "EXPIRED"];

function matchesBulkTerm(op: BulkOperationRecord, term: SearchTerm, now: Date): boolean {
  const value = term.value.toLowerCase();
  switch (term.field) {
    case "status":
      return op.status.toLowerCase() === value;
    // The schema names the filter `operation_type`; the guide's examples write `type:QUERY`.
    case "operation_type":
    case "type":
      return op.type.toLowerCase() === value;
    case "id":
      return compare(op.id, term.comparator, Number(value.replace(/^.*\//, "")));
    case "created_at": {
      const at = timeValue(term.value, now, "bulkOperations");
      return compare(op.createdAt.getTime(), term.comparator, at);
    }
    default:
      throw notImplemented("bulkOperations", `the filter "${term.field || term.value}"`);
  }
}

// "Defaults to sorting by created_at, with newest operations first" (QueryRoot.bulkOperations).
function newestFirst(sortKey: unknown) {
  const at = (op: BulkOperationRecord) =>
    (sortKey === "COMPLETED_AT" ? op.completedAt : op.createdAt)?.getTime() ?? -Infinity;
  return (a: BulkOperationRecord, b: BulkOperationRecord) => at(b) - at(a) || b.id - a.id;
}

export const bulkResolvers: Record<string, Resolver> = {
  "Mutation.bulkOperationRunQuery": (_source, args, ctx) => {
    const query = String(args.query);
    const analysis = analyzeBulkQuery(ctx.admin, query);
    if (!analysis.ok) return { bulkOperation: null, userErrors: analysis.userErrors };
    const run = prepareBulkRun(ctx.admin, analysis);
    if (ctx.state.bulk.inProgress("QUERY").length >= BULK_QUERY_CONCURRENCY) {
      const limit: UserError = {
        field: null,
        message: "Bulk operations limit reached. Please try again later.",
        code: "LIMIT_REACHED",
      };
      return { bulkOperation: null, userErrors: [limit] };
    }
    const operation = ctx.state.bulk.create({
      query,
      groupObjects: args.groupObjects === true,
      createdAt: ctx.now,
      origin: ctx.origin,
      clock: ctx.clock,
      job: bulkJob(run, ctx),
    });
    return { bulkOperation: bulkOperationView(operation), userErrors: [] };
  },

  // Wording of both userErrors as recorded by a public Shopify-parity test suite (not verified).
  "Mutation.bulkOperationCancel": (_source, args, ctx) => {
    const id = idOfType(args.id, "BulkOperation");
    const operation = id === null ? undefined : ctx.state.bulk.get(id);
    if (!operation) {
      return {
        bulkOperation: null,
        userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
      };
    }
    if (TERMINAL.includes(operation.status)) {
      const message = `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}`;
      return {
        bulkOperation: bulkOperationView(operation),
        userErrors: [{ field: null, message }],
      };
    }
    ctx.state.bulk.cancel(operation.id);
    return { bulkOperation: bulkOperationView(operation), userErrors: [] };
  },

  "QueryRoot.bulkOperation": (_source, args, ctx) => {
    const id = idOfType(args.id, "BulkOperation");
    const operation = id === null ? undefined : ctx.state.bulk.get(id);
    return operation ? bulkOperationView(operation) : null;
  },

  "QueryRoot.bulkOperations": (_source, args, ctx) => {
    const terms = parseSearch(args.query, "bulkOperations");
    const operations = [...ctx.state.bulk.operations.values()]
      .filter((op) => terms.every((term) => matchesBulkTerm(op, term, ctx.now)))
      .sort(newestFirst(args.sortKey));
    if (args.reverse === true) operations.reverse();
    return paginate(operations, { ...args, reverse: false }, (op) => op.id, bulkOperationView);
  },

  // Deprecated in 2026-10 ("Use `bulkOperations` with status filter instead") but still served:
  // the app's most recent operation of the type.
  "QueryRoot.currentBulkOperation": (_source, args, ctx) => {
    const type = typeof args.type === "string" ? args.type : "QUERY";
    const [latest] = [...ctx.state.bulk.operations.values()]
      .filter((op) => op.type === type)
      .sort(newestFirst("CREATED_AT"));
    return latest ? bulkOperationView(latest) : null;
  },
};
