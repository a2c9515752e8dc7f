/**
 * The shape of a bulk query: which fields are connections, how deeply they nest, what their nodes
 * select, and, for each node, which response keys hold nested connections (directly or inside a
 * nested object) so a result can be split into JSONL lines. The rules (rules.ts) judge the shape;
 * the runner (runner.ts) splits results with it.
 */
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  Kind,
} from "graphql";
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  SelectionSetNode,
} from "graphql";

export interface ConnectionSite {
  fieldName: string;
  responseKey: string;
  /** How many connections enclose this one: 0 for a top-level connection. */
  depth: number;
  /** A list field (not a connection) lies between this connection and the node holding it. */
  withinList: boolean;
  /** The connection's items were selected through `nodes` instead of `edges { node }`. */
  selectsNodes: boolean;
  nodeImplementsNode: boolean;
  /** The node selects `id` (of type ID, without an alias): its children's `__parentId`. */
  nodeSelectsId: boolean;
  children: ConnectionSite[];
}

/** Response keys of an object that lead to connections; every other key is copied as is. */
export type SplitPlan = Map<string, { kind: "connection" | "object"; plan: SplitPlan }>;

export interface BulkQueryShape {
  /** Top-level fields of the operation. */
  rootFields: FieldNode[];
  /** Every connection in the query, outermost first. */
  connections: ConnectionSite[];
  /** How to split the operation's `data`: top-level connection keys → their nodes' plans. */
  rootPlan: SplitPlan;
}

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

interface Scope {
  depth: number;
  withinList: boolean;
  owner: ConnectionSite | null;
  all: ConnectionSite[];
}

/** A Shopify connection type: `XConnection` with `edges` and `pageInfo`. */
export function connectionNodeType(type: GraphQLNamedType): GraphQLNamedType | null {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return null;
  const fields = type.getFields();
  const edges = fields.edges;
  if (!edges || !fields.pageInfo) return null;
  const edge = getNamedType(edges.type);
  const node = isObjectType(edge) ? edge.getFields().node : undefined;
  return node ? getNamedType(node.type) : null;
}

function implementsNode(type: GraphQLNamedType): boolean {
  if (isObjectType(type)) return type.getInterfaces().some((i) => i.name === "Node");
  if (isInterfaceType(type))
    return type.name === "Node" || type.getInterfaces().some((i) => i.name === "Node");
  if (isUnionType(type)) return type.getTypes().every(implementsNode);
  return false;
}

/** The fields of a selection set with the type each is selected on, fragments expanded. */
function collect(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  selectionSet: SelectionSetNode | undefined,
  fragments: Fragments,
  seen: Set<string> = new Set(),
): { field: FieldNode; on: GraphQLNamedType }[] {
  const found: { field: FieldNode; on: GraphQLNamedType }[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      found.push({ field: selection, on: parent });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition
        ? (schema.getType(selection.typeCondition.name.value) ?? parent)
        : parent;
      found.push(...collect(schema, on, selection.selectionSet, fragments, seen));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      seen.add(fragment.name.value);
      const on = schema.getType(fragment.typeCondition.name.value) ?? parent;
      found.push(...collect(schema, on, fragment.selectionSet, fragments, seen));
    }
  }
  return found;
}

function fieldDef(
  type: GraphQLNamedType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function selectsId(
  schema: GraphQLSchema,
  type: GraphQLNamedType,
  set: SelectionSetNode | undefined,
  fragments: Fragments,
): boolean {
  return collect(schema, type, set, fragments).some(({ field, on }) => {
    if (field.name.value !== "id" || (field.alias && field.alias.value !== "id")) return false;
    const def = fieldDef(on, "id");
    return def !== undefined && getNamedType(def.type).name === "ID";
  });
}

function walk(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  set: SelectionSetNode | undefined,
  fragments: Fragments,
  scope: Scope,
): SplitPlan {
  const plan: SplitPlan = new Map();
  const sites = new Map<string, ConnectionSite>();
  for (const { field, on } of collect(schema, parent, set, fragments)) {
    const def = fieldDef(on, field.name.value);
    if (!def) continue; // __typename, or a field validation already refused
    const key = field.alias?.value ?? field.name.value;
    const named = getNamedType(def.type);
    const nodeType = connectionNodeType(named);
    if (nodeType) {
      let site = sites.get(key);
      if (!site) {
        site = {
          fieldName: field.name.value,
          responseKey: key,
          depth: scope.depth,
          withinList: scope.withinList,
          selectsNodes: false,
          nodeImplementsNode: implementsNode(nodeType),
          nodeSelectsId: false,
          children: [],
        };
        sites.set(key, site);
        scope.all.push(site);
        scope.owner?.children.push(site);
      }
      const nodePlan = plan.get(key)?.plan ?? new Map();
      for (const part of collect(schema, named, field.selectionSet, fragments)) {
        if (part.field.name.value === "nodes") site.selectsNodes = true;
        if (part.field.name.value !== "edges") continue;
        const edgeType = getNamedType(fieldDef(named, "edges")!.type);
        for (const edgePart of collect(schema, edgeType, part.field.selectionSet, fragments)) {
          if (edgePart.field.name.value !== "node") continue;
          const inner = { depth: scope.depth + 1, withinList: false, owner: site, all: scope.all };
          const nodeSet = edgePart.field.selectionSet;
          for (const [k, v] of walk(schema, nodeType, nodeSet, fragments, inner))
            nodePlan.set(k, v);
          site.nodeSelectsId ||= selectsId(schema, nodeType, nodeSet, fragments);
        }
      }
      plan.set(key, { kind: "connection", plan: nodePlan });
    } else if (field.selectionSet) {
      const withinList = scope.withinList || isListType(getNullableType(def.type));
      const inner = walk(schema, named, field.selectionSet, fragments, { ...scope, withinList });
      if (inner.size > 0) plan.set(key, { kind: "object", plan: inner });
    }
  }
  return plan;
}

export function readBulkQueryShape(
  schema: GraphQLSchema,
  queryType: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: Fragments,
): BulkQueryShape {
  const all: ConnectionSite[] = [];
  const rootPlan = walk(schema, queryType, selectionSet, fragments, {
    depth: 0,
    withinList: false,
    owner: null,
    all,
  });
  const rootFields = collect(schema, queryType, selectionSet, fragments).map((f) => f.field);
  return { rootFields, connections: all, rootPlan };
}
