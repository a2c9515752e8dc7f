/**
 * Runs a bulk query against the store through the ordinary resolvers and views, so a bulk export
 * returns exactly what the same query returns page by page. The top-level connection's records
 * are listed once (resolvers/root-connections.ts) and executed in batches; each batch's result is
 * split into JSONL lines and written before the next batch is built, so memory stays flat however
 * large the store is.
 */
import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  getVariableValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { ArgumentNode, DocumentNode, FieldNode } from "graphql";
import { paginate } from "../connection";
import type { AdminContext, View } from "../context";
import { rootConnections } from "../resolvers/root-connections";
import type { RootConnection } from "../resolvers/root-connections";
import { documentAccessRequirements, missingAccess } from "../schema";
import type { AdminSchema } from "../schema";
import { isRecord } from "../values";
import type { BulkJob, BulkJobOutcome } from "./operations";
import type { BulkQueryAnalysis } from "./rules";
import { connectionNodeType } from "./selection";
import type { SplitPlan } from "./selection";
import { emitNode } from "./split";

/** Top-level records per execution; small enough that a batch's views and result stay small. */
const BATCH = 250;
/** Nested connections are read whole: bulk queries ignore `first` (see `allItems`). */
const ALL = 2_147_483_647;
const PAGINATION = new Set(["first", "last", "after", "before"]);

export interface BulkRun {
  document: DocumentNode;
  rootKey: string;
  rootArgs: Record<string, unknown>;
  connection: RootConnection;
  plan: SplitPlan;
}

function notImplemented(what: string): GraphQLError {
  return new GraphQLError(
    `The Shopify stand-in does not implement ${what} in bulk queries; ` +
      "add it in sandbox/shopify/admin-graphql/resolvers/root-connections.ts",
    { extensions: { code: "STAND_IN_NOT_IMPLEMENTED" } },
  );
}

/**
 * "The `first` argument is optional and ignored if present" and so are `cursor` and `pageInfo`
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries#write-a-bulk-operation): nested
 * connections get `first: ALL` in place of any pagination arguments; the top-level one is served
 * batch by batch and keeps only its other arguments (`query`, `sortKey`, `reverse`).
 */
function allItems(admin: AdminSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(admin.schema);
  const queryType = admin.schema.getQueryType();
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const def = typeInfo.getFieldDef();
        if (!def || !connectionNodeType(getNamedType(def.type))) return undefined;
        const args: ArgumentNode[] = (node.arguments ?? []).filter(
          (a) => !PAGINATION.has(a.name.value),
        );
        if (typeInfo.getParentType() !== queryType) {
          args.push({
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: "first" },
            value: { kind: Kind.INT, value: String(ALL) },
          });
        }
        return { ...node, arguments: args };
      },
    }),
  );
}

/** What a run needs, checked when the operation is created (the stand-in serves some roots only). */
export function prepareBulkRun(
  admin: AdminSchema,
  analysis: Extract<BulkQueryAnalysis, { ok: true }>,
): BulkRun {
  const [root, ...others] = analysis.shape.rootFields;
  if (!root || others.length > 0) throw notImplemented("several top-level fields");
  const name = root.name.value;
  const def = admin.schema.getQueryType()?.getFields()[name];
  const connection = rootConnections[name];
  const rootKey = root.alias?.value ?? name;
  const plan = analysis.shape.rootPlan.get(rootKey);
  if (!def || !connection || plan?.kind !== "connection") {
    throw notImplemented(`the top-level field \`${name}\``);
  }
  const variables = getVariableValues(
    admin.schema,
    analysis.operation.variableDefinitions ?? [],
    {},
  );
  const rootArgs = getArgumentValues(def, root, variables.coerced ?? {});
  return {
    document: allItems(admin, analysis.document),
    rootKey,
    rootArgs,
    connection,
    plan: plan.plan,
  };
}

async function runBulkQuery(
  run: BulkRun,
  ctx: AdminContext,
  file: Parameters<BulkJob>[0],
  canceled: () => boolean,
): Promise<BulkJobOutcome> {
  // "The query used in a bulk operation requires the same permissions as it would when run as a
  // normal query"; a missing scope fails the operation with ACCESS_DENIED (#operation-failures).
  const missing = missingAccess(documentAccessRequirements(ctx.admin, run.document), ctx.scopes);
  if (missing.length > 0) {
    const names = missing.map((m) => m.coordinate).join(", ");
    return { ok: false, errorCode: "ACCESS_DENIED", failure: `access denied for ${names}` };
  }
  const base: AdminContext = { ...ctx, now: new Date(ctx.clock()) };
  const items = run.connection.list(run.rootArgs, base);
  for (let start = 0; start < items.length; start += BATCH) {
    if (canceled()) return { ok: true };
    const batch = items.slice(start, start + BATCH);
    let page: View = {};
    const context: AdminContext = { ...base, bulkPage: () => page };
    page = paginate(
      batch,
      { first: batch.length },
      (item) => run.connection.id(item),
      (item) => run.connection.view(context, item),
    );
    const result = await ctx.executeDocument(run.document, context);
    const error = result.errors?.[0];
    if (error) {
      const denied = error.extensions?.code === "ACCESS_DENIED";
      return {
        ok: false,
        errorCode: denied ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR",
        failure: error.message,
      };
    }
    const connection = result.data?.[run.rootKey];
    const edges = isRecord(connection) && Array.isArray(connection.edges) ? connection.edges : [];
    for (const edge of edges as unknown[]) {
      if (isRecord(edge) && isRecord(edge.node)) emitNode(edge.node, run.plan, null, 0, file);
    }
    await file.flush();
  }
  return { ok: true };
}

/** The job an operation runs when it is completed; reads the store at that time, not before. */
export function bulkJob(run: BulkRun, ctx: AdminContext): BulkJob {
  return (file, canceled) => runBulkQuery(run, ctx, file, canceled);
}
