/**
 * A result node as JSONL lines (https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format):
 * "Each line in the file is a node object returned in a connection. If a node has a nested
 * connection, then each child node is extracted into its own object", carrying `__parentId`, the
 * id of the node it was nested in. Nested objects that are not connections stay inline; `cursor`
 * and `pageInfo` are dropped (the guide: they are "optional and ignored if present").
 */
import { isRecord } from "../values";
import type { JsonlFile } from "./jsonl-file";
import type { SplitPlan } from "./selection";

interface Nested {
  connection: unknown;
  plan: SplitPlan;
}

/** The object without its connections (also inside nested objects), which go to `nested`. */
function withoutConnections(
  value: Record<string, unknown>,
  plan: SplitPlan,
  nested: Nested[],
): Record<string, unknown> {
  const line: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const entry = plan.get(key);
    if (!entry) line[key] = field;
    else if (entry.kind === "connection") nested.push({ connection: field, plan: entry.plan });
    else line[key] = isRecord(field) ? withoutConnections(field, entry.plan, nested) : field;
  }
  return line;
}

function nodesOf(connection: unknown): Record<string, unknown>[] {
  const edges = isRecord(connection) && Array.isArray(connection.edges) ? connection.edges : [];
  return edges.flatMap((edge: unknown) =>
    isRecord(edge) && isRecord(edge.node) ? [edge.node] : [],
  );
}

/** Writes `node` (depth 0 for a top-level connection's node) and, after it, its nested nodes. */
export function emitNode(
  node: Record<string, unknown>,
  plan: SplitPlan,
  parentId: string | null,
  depth: number,
  file: JsonlFile,
) {
  const nested: Nested[] = [];
  const line = withoutConnections(node, plan, nested);
  if (parentId !== null) line.__parentId = parentId;
  file.add(depth, line);
  const id = typeof node.id === "string" ? node.id : null;
  for (const { connection, plan: childPlan } of nested) {
    for (const child of nodesOf(connection)) emitNode(child, childPlan, id, depth + 1, file);
  }
}
