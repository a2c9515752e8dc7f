/**
 * What `bulkOperationRunQuery` accepts. The inner query must be a valid query against the schema
 * and obey the bulk rules of https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions:
 * at least one connection, at most five connections, at most two levels of nested connections,
 * connections whose nodes implement `Node`, no top-level `node`/`nodes`. Refusals are
 * BulkOperationUserError with code INVALID and field ["query"].
 *
 * Wording: the messages for the rules the guide lists, plus the rules it leaves to "try some and see
 * what works" (items through `edges { node }` only, a parent node selecting `id`, no connection
 * inside a list, `query` operations only), are Shopify's as recorded by a public Shopify-parity test
 * suite; they were not checked against Shopify from here. Messages marked "stand-in wording" are
 * our own: the rule is documented but its message is not. Syntax and validation messages are
 * graphql-js's after Shopify's "Invalid bulk query: " prefix (Shopify's come from graphql-ruby).
 */
import { getVariableValues, GraphQLError, Kind, parse } from "graphql";
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode } from "graphql";
import type { UserError } from "../context";
import type { AdminSchema } from "../schema";
import { validateAdminDocument } from "../validation";
import type { BulkQueryShape } from "./selection";
import { readBulkQueryShape } from "./selection";

export const MAX_BULK_CONNECTIONS = 5;
/** "Maximum of two levels deep for nested connections" (a top-level connection plus two). */
export const MAX_NESTED_CONNECTION_DEPTH = 2;

export type BulkQueryAnalysis =
  | {
      ok: true;
      document: DocumentNode;
      operation: OperationDefinitionNode;
      fragments: ReadonlyMap<string, FragmentDefinitionNode>;
      shape: BulkQueryShape;
    }
  | { ok: false; userErrors: UserError[] };

const invalid = (message: string): UserError => ({ field: ["query"], message, code: "INVALID" });
const refuse = (...messages: string[]): BulkQueryAnalysis => ({
  ok: false,
  userErrors: messages.map(invalid),
});

export function analyzeBulkQuery(admin: AdminSchema, query: string): BulkQueryAnalysis {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return refuse(`Invalid bulk query: ${error.message}`);
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (!operation || operations.length > 1) {
    return refuse("Invalid bulk query: the query must contain exactly one operation"); // stand-in wording
  }
  if (operation.operation !== "query") {
    return refuse("Invalid operation type. Only `query` operations are supported.");
  }
  const invalidDocument = validateAdminDocument(admin, document);
  if (invalidDocument.length > 0) {
    return refuse(...invalidDocument.map((e) => `Invalid bulk query: ${e.message}`));
  }
  // A bulk query is run without variables, so a required one can never be given.
  const variables = getVariableValues(admin.schema, operation.variableDefinitions ?? [], {});
  if (variables.errors) {
    return refuse(...variables.errors.map((e) => `Invalid bulk query: ${e.message}`));
  }

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const queryType = admin.schema.getQueryType()!;
  const shape = readBulkQueryShape(admin.schema, queryType, operation.selectionSet, fragments);
  const errors = bulkRuleErrors(shape);
  if (errors.length > 0) return refuse(...errors);
  return { ok: true, document, operation, fragments, shape };
}

/** The bulk rules, in the order Shopify lists its errors (several can apply at once). */
function bulkRuleErrors(shape: BulkQueryShape): string[] {
  const errors: string[] = [];
  const { connections } = shape;
  const viaNodes = connections.filter((c) => c.selectsNodes).map((c) => c.fieldName);
  if (viaNodes.length > 0) {
    errors.push(
      "All connection fields in a bulk query must select their contents using 'edges' > 'node', " +
        `e.g: '${viaNodes[0]} { edges { node {'. Selecting via 'nodes' is not supported. ` +
        `Invalid connection fields: ${viaNodes.map((n) => `'${n}'`).join(", ")}.`,
    );
  }
  const rootNames = shape.rootFields.map((f) => f.name.value);
  const topLevelNode = rootNames.includes("node");
  if (topLevelNode) errors.push("Bulk queries cannot contain a top level `node` field.");
  if (rootNames.includes("nodes")) {
    errors.push("Bulk queries cannot contain a top level `nodes` field."); // stand-in wording
  }
  if (connections.some((c) => c.depth > MAX_NESTED_CONNECTION_DEPTH)) {
    errors.push(
      `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_NESTED_CONNECTION_DEPTH}.`,
    );
  }
  if (connections.length > MAX_BULK_CONNECTIONS) {
    errors.push(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`);
  }
  const withoutId = connections
    .filter((c) => c.children.length > 0 && !c.nodeSelectsId)
    .map((c) => c.fieldName);
  if (withoutId.length > 0) {
    errors.push(
      "The parent 'node' field for a nested connection must select the 'id' field without an " +
        `alias and must be of 'ID' return type. Connection fields without 'id': ${withoutId.join(", ")}.`,
    );
  }
  if (connections.some((c) => c.withinList)) {
    errors.push(
      "Queries that contain a connection field within a list field are not currently supported.",
    );
  }
  // A connection already refused for sitting in a list is not reported twice.
  const notNodes = connections
    .filter((c) => !c.nodeImplementsNode && !c.withinList)
    .map((c) => c.fieldName);
  if (notNodes.length > 0) {
    // stand-in wording; the rule is the guide's "Connections must implement the Node interface".
    errors.push(
      "Bulk queries can only contain connections whose nodes implement the Node interface. " +
        `Invalid connection fields: ${notNodes.map((n) => `'${n}'`).join(", ")}.`,
    );
  }
  const onlyTopLevelNode = errors.length === 1 && topLevelNode;
  if (connections.length === 0 && (errors.length === 0 || onlyTopLevelNode)) {
    errors.push("Bulk queries must contain at least one connection.");
  }
  return errors;
}
