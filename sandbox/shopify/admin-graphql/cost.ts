/**
 * Query cost as Shopify calculates it before running a query (requestedQueryCost) and after
 * (actualQueryCost), from https://shopify.dev/docs/api/usage/limits#cost-calculation:
 * scalars and enums cost 0, an object costs 1, an interface or union costs its most expensive
 * member, a connection costs 2 plus `first`/`last` times the cost of one item (edge or node), and
 * each top-level mutation field costs 10. The actual cost uses the items really returned.
 *
 * Simplifications: a plain list of objects is costed as one object; introspection fields are free.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from "graphql";
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLType,
  OperationDefinitionNode,
  SelectionSetNode,
} from "graphql";

export const MUTATION_COST = 10;
export const CONNECTION_COST = 2;
export const OBJECT_COST = 1;

export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values (a connection's `first` is often a variable). */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** What Shopify deducts from the bucket before running the operation. */
export function requestedQueryCost(input: CostInput): number {
  return operationCost(input, undefined);
}

/** What the operation really cost, given the `data` it returned. */
export function actualQueryCost(input: CostInput, data: unknown): number {
  return operationCost(input, { value: data });
}

/** `undefined` when estimating; `{ value }` when measuring against returned data. */
type Measured = { value: unknown } | undefined;

function operationCost(input: CostInput, measured: Measured): number {
  const { schema, operation } = input;
  if (operation.operation === "mutation") {
    const root = schema.getMutationType();
    return root ? collectFields(input, [operation.selectionSet], root).size * MUTATION_COST : 0;
  }
  const root = operation.operation === "query" ? schema.getQueryType() : null;
  return root ? selectionCost(input, [operation.selectionSet], root, measured) : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function child(measured: Measured, key: string): Measured {
  if (!measured) return undefined;
  return { value: isRecord(measured.value) ? measured.value[key] : undefined };
}

function selectionCost(
  input: CostInput,
  selectionSets: readonly SelectionSetNode[],
  parent: GraphQLCompositeType,
  measured: Measured,
): number {
  let candidates: readonly GraphQLObjectType[];
  if (isObjectType(parent)) candidates = [parent];
  else {
    const typename = measured && isRecord(measured.value) ? measured.value.__typename : undefined;
    const known = typeof typename === "string" ? input.schema.getType(typename) : undefined;
    candidates = known && isObjectType(known) ? [known] : input.schema.getPossibleTypes(parent);
  }
  let worst = 0;
  for (const type of candidates) {
    let sum = 0;
    for (const [key, nodes] of collectFields(input, selectionSets, type)) {
      sum += fieldCost(input, type, nodes, child(measured, key));
    }
    worst = Math.max(worst, sum);
  }
  return worst;
}

function fieldCost(
  input: CostInput,
  parent: GraphQLObjectType,
  nodes: readonly FieldNode[],
  measured: Measured,
): number {
  const first = nodes[0];
  if (!first || first.name.value.startsWith("__")) return 0;
  const field = parent.getFields()[first.name.value];
  if (!field) return 0;
  const named = getNamedType(field.type);
  if (isLeafType(named)) return 0;
  const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  if (measured && (measured.value === null || measured.value === undefined)) return 0;
  if (isConnectionField(field) && isObjectType(named)) {
    return connectionCost(input, field, named, first, subSelections, measured);
  }
  if (isListType(unwrapNonNull(field.type)) && measured && Array.isArray(measured.value)) {
    let worst = 0;
    for (const item of measured.value) {
      if (item === null || item === undefined) continue;
      worst = Math.max(
        worst,
        OBJECT_COST + selectionCost(input, subSelections, named, { value: item }),
      );
    }
    return worst;
  }
  return OBJECT_COST + selectionCost(input, subSelections, named, measured);
}

function connectionCost(
  input: CostInput,
  field: GraphQLField<unknown, unknown>,
  connection: GraphQLObjectType,
  node: FieldNode,
  subSelections: readonly SelectionSetNode[],
  measured: Measured,
): number {
  const parts = collectFields(input, subSelections, connection);
  const itemCost = (key: string, item: Measured): number => {
    const itemField = connection.getFields()[parts.get(key)?.[0]?.name.value ?? ""];
    const itemNodes = parts.get(key) ?? [];
    if (!itemField) return 0;
    const itemType = getNamedType(itemField.type);
    if (isLeafType(itemType)) return 0;
    const itemSelections = itemNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    if (itemField.name === "nodes") {
      return OBJECT_COST + selectionCost(input, itemSelections, itemType, item);
    }
    // An edge is not charged itself; its `node` is the object being paid for.
    return selectionCost(input, itemSelections, itemType, item);
  };
  const itemKeys = [...parts.keys()].filter((key) => {
    const name = parts.get(key)?.[0]?.name.value;
    return name === "edges" || name === "nodes";
  });
  if (!measured) {
    const size = pageSize(input, field, node);
    const perItem = Math.max(0, ...itemKeys.map((key) => itemCost(key, undefined)));
    return CONNECTION_COST + size * perItem;
  }
  let worst = 0;
  for (const key of itemKeys) {
    const items = isRecord(measured.value) ? measured.value[key] : undefined;
    if (!Array.isArray(items)) continue;
    worst = Math.max(
      worst,
      items.reduce<number>((sum, item) => sum + itemCost(key, { value: item }), 0),
    );
  }
  return CONNECTION_COST + worst;
}

function pageSize(input: CostInput, field: GraphQLField<unknown, unknown>, node: FieldNode) {
  let args: Record<string, unknown> = {};
  try {
    args = getArgumentValues(field, node, input.variables);
  } catch {
    // Invalid arguments fail at execution with a proper error; cost them as an empty page.
  }
  const size = typeof args.first === "number" ? args.first : args.last;
  return typeof size === "number" && size > 0 ? size : 0;
}

/** A Relay connection field: returns `XConnection { edges|nodes, pageInfo }` and takes first/last. */
export function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  if (!isObjectType(named) || !named.name.endsWith("Connection")) return false;
  const fields = named.getFields();
  const hasItems = "edges" in fields || "nodes" in fields;
  return hasItems && field.args.some((arg) => arg.name === "first" || arg.name === "last");
}

function unwrapNonNull(type: GraphQLType): GraphQLType {
  return isNonNullType(type) ? type.ofType : type;
}

/** Fields selected on `type`, by response key, following fragments and @skip/@include. */
function collectFields(
  input: CostInput,
  selectionSets: readonly SelectionSetNode[],
  type: GraphQLObjectType,
  into = new Map<string, FieldNode[]>(),
  seenFragments = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selectionSet of selectionSets) {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(input, selection)) continue;
      if (selection.kind === "Field") {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), selection]);
      } else if (selection.kind === "InlineFragment") {
        const condition = selection.typeCondition?.name.value;
        if (!condition || appliesTo(input, condition, type)) {
          collectFields(input, [selection.selectionSet], type, into, seenFragments);
        }
      } else {
        const name = selection.name.value;
        const fragment = input.fragments[name];
        if (!fragment || seenFragments.has(name)) continue;
        seenFragments.add(name);
        if (appliesTo(input, fragment.typeCondition.name.value, type)) {
          collectFields(input, [fragment.selectionSet], type, into, seenFragments);
        }
      }
    }
  }
  return into;
}

function appliesTo(input: CostInput, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const conditionType = input.schema.getType(condition);
  return (
    !!conditionType && isAbstractType(conditionType) && input.schema.isSubType(conditionType, type)
  );
}

function isIncluded(input: CostInput, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, input.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, input.variables);
  return include?.if !== false;
}
