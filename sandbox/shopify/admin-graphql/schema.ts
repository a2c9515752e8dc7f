/**
 * Shopify's Admin GraphQL schema for one API version, loaded from the committed introspection
 * (contracts/shopify-admin-graphql-<version>.introspection.json.gz), plus the access-scope data that
 * ships with it. The stand-in uses it to validate, execute and authorize requests; the contract test
 * (tests/contracts/admin-graphql-documents.test.ts) uses it to check every document the app sends.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, getNamedType, TypeInfo, visit, visitWithTypeInfo } from "graphql";
import type { DocumentNode, GraphQLSchema, IntrospectionQuery, SourceLocation } from "graphql";

/** The version the stand-in serves; it must equal `[webhooks] api_version` in shopify.app.toml. */
export const ADMIN_API_VERSION = "2026-10";

/**
 * Access needed for a type or field. `anyOf` is a disjunction: Shopify's `requiredAccess` text
 * reads "`read_orders` access scope or `read_marketplace_orders` access scope", and the scope list
 * next to it is that list of alternatives.
 */
export interface AccessRule {
  readonly anyOf: readonly string[];
  /** Shopify's own wording, echoed in ACCESS_DENIED errors. */
  readonly requiredAccess: string;
}

export interface AdminSchema {
  readonly version: string;
  readonly schema: GraphQLSchema;
  /** Access rule of a field, e.g. ("Mutation", "discountCodeBasicCreate"). */
  fieldAccess(typeName: string, fieldName: string): AccessRule | undefined;
  /** Access rule of a type, e.g. "Customer" needs `read_customers` wherever it is returned. */
  typeAccess(typeName: string): AccessRule | undefined;
}

interface OfflineScopeItem {
  type: "type" | "field";
  typeName: string;
  fieldName?: string;
  requiredAccess?: string;
  offlineScopes: string[];
}

interface ContractFile {
  data: IntrospectionQuery;
  offline_scopes: { items: OfflineScopeItem[] };
}

const cache = new Map<string, AdminSchema>();

export function contractUrl(version: string): URL {
  return new URL(
    `../../../contracts/shopify-admin-graphql-${version}.introspection.json.gz`,
    import.meta.url,
  );
}

/** Loads (once per process) the schema for `version`; building it takes ~0.2 s. */
export function loadAdminSchema(version: string = ADMIN_API_VERSION): AdminSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  const file = JSON.parse(gunzipSync(readFileSync(contractUrl(version))).toString("utf8")) as
    ContractFile | undefined;
  if (!file?.data?.__schema || !Array.isArray(file.offline_scopes?.items)) {
    throw new Error(`${contractUrl(version).pathname} is not an Admin API introspection contract`);
  }
  const fields = new Map<string, AccessRule>();
  const types = new Map<string, AccessRule>();
  for (const item of file.offline_scopes.items) {
    if (item.offlineScopes.length === 0) continue;
    const rule = { anyOf: item.offlineScopes, requiredAccess: item.requiredAccess ?? "" };
    if (item.type === "type") types.set(item.typeName, rule);
    else if (item.fieldName) fields.set(`${item.typeName}.${item.fieldName}`, rule);
  }
  const admin: AdminSchema = {
    version,
    schema: buildClientSchema(file.data),
    fieldAccess: (typeName, fieldName) => fields.get(`${typeName}.${fieldName}`),
    typeAccess: (typeName) => types.get(typeName),
  };
  cache.set(version, admin);
  return admin;
}

/**
 * The scopes a grant really gives: a `write_x` scope implies `read_x`
 * (https://shopify.dev/docs/api/usage/access-scopes#authenticated-access-scopes).
 */
export function expandScopes(granted: Iterable<string>): Set<string> {
  const scopes = new Set<string>();
  for (const raw of granted) {
    const scope = raw.trim();
    if (!scope) continue;
    scopes.add(scope);
    if (scope.startsWith("write_")) scopes.add(`read_${scope.slice("write_".length)}`);
    // `unauthenticated_write_x` likewise implies `unauthenticated_read_x`.
    if (scope.startsWith("unauthenticated_write_")) {
      scopes.add(`unauthenticated_read_${scope.slice("unauthenticated_write_".length)}`);
    }
  }
  return scopes;
}

export function isGranted(rule: AccessRule, scopes: ReadonlySet<string>): boolean {
  return rule.anyOf.some((scope) => scopes.has(scope));
}

/** One place in a document that needs access: a field, or a type it returns or spreads on. */
export interface AccessRequirement {
  /** `Type.field` for field rules, `Type` for type rules. */
  readonly coordinate: string;
  /** The field the requirement is reported on (Shopify names the field in ACCESS_DENIED). */
  readonly fieldName: string | null;
  readonly rule: AccessRule;
  readonly locations: readonly SourceLocation[];
}

/**
 * Every access rule a document touches: the rule of each selected field, of the named type each
 * field returns, and of each fragment's type condition (a `... on DiscountCodeBasic` spread needs
 * that type's scope even though the field returns the `DiscountCode` union). The document should be
 * valid; unknown fields are skipped.
 */
export function documentAccessRequirements(
  admin: AdminSchema,
  document: DocumentNode,
): AccessRequirement[] {
  const found = new Map<string, AccessRequirement>();
  const add = (
    coordinate: string,
    fieldName: string | null,
    rule: AccessRule | undefined,
    loc: SourceLocation | undefined,
  ) => {
    if (!rule) return;
    const key = `${coordinate}@${fieldName ?? ""}`;
    const existing = found.get(key);
    const locations = loc ? [...(existing?.locations ?? []), loc] : (existing?.locations ?? []);
    found.set(key, { coordinate, fieldName, rule, locations });
  };
  const typeInfo = new TypeInfo(admin.schema);
  const locate = (node: { loc?: { startToken: { line: number; column: number } } }) =>
    node.loc ? { line: node.loc.startToken.line, column: node.loc.startToken.column } : undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || node.name.value.startsWith("__")) return;
        const name = node.name.value;
        add(`${parent.name}.${name}`, name, admin.fieldAccess(parent.name, name), locate(node));
        const returned = getNamedType(field.type);
        add(returned.name, name, admin.typeAccess(returned.name), locate(node));
      },
      InlineFragment(node) {
        const type = node.typeCondition ? typeInfo.getType() : null;
        if (type)
          add(
            getNamedType(type).name,
            null,
            admin.typeAccess(getNamedType(type).name),
            locate(node),
          );
      },
      FragmentDefinition(node) {
        const type = typeInfo.getType();
        if (type)
          add(
            getNamedType(type).name,
            null,
            admin.typeAccess(getNamedType(type).name),
            locate(node),
          );
      },
    }),
  );
  return [...found.values()];
}

/** The requirements a set of granted scopes does not satisfy. */
export function missingAccess(
  requirements: readonly AccessRequirement[],
  granted: Iterable<string>,
): AccessRequirement[] {
  const scopes = expandScopes(granted);
  return requirements.filter((requirement) => !isGranted(requirement.rule, scopes));
}

/**
 * The runtime check: the rule that denies resolving `parentType.fieldName` (returning
 * `returnTypeName`) with these scopes, if any. Field rules win over type rules, as Shopify names
 * the field's own requirement first.
 */
export function deniedRule(
  admin: AdminSchema,
  scopes: ReadonlySet<string>,
  parentType: string,
  fieldName: string,
  returnTypeName: string,
): AccessRule | undefined {
  const fieldRule = admin.fieldAccess(parentType, fieldName);
  if (fieldRule && !isGranted(fieldRule, scopes)) return fieldRule;
  // For an interface or union this is the abstract type's own rule; the concrete object type is
  // checked again once it is known (see `resolveType` in execute.ts).
  const typeRule = admin.typeAccess(returnTypeName);
  if (typeRule && !isGranted(typeRule, scopes)) return typeRule;
  return undefined;
}
