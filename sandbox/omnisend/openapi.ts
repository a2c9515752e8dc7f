/**
 * Loads Omnisend's published OpenAPI documents for API version 2026-03-15 (committed under
 * contracts/, byte-for-byte copies) and exposes what the stand-in needs: the version, each
 * operation's request schema, scopes and documented rate limit. Reading them from the contracts
 * instead of retyping them means a contract upgrade changes the stand-in too.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** The subset of OpenAPI 3.0 Schema Object keywords the validator understands. */
export interface JsonSchema {
  $ref?: string;
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  nullable?: boolean;
  allOf?: JsonSchema[];
  format?: string;
  maxItems?: number;
  minItems?: number;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
}

export type ResolveRef = (ref: string) => JsonSchema;

export interface ContractOperation {
  method: string;
  /** Path template relative to the server URL (`https://api.omnisend.com/api`), e.g. `/contacts/{id}`. */
  path: string;
  requestSchema: JsonSchema | undefined;
  /** Follows `$ref`s within the document the operation came from. */
  resolveRef: ResolveRef;
  /** OAuth scopes from `security`; the stand-in applies them to API keys too (`keyScopes`). */
  scopes: string[];
  /** From the description's "rate limited to N requests per minute". */
  requestsPerMinute: number | undefined;
}

export interface OmnisendContract {
  /** The `Omnisend-Version` the documents describe (the header's default). */
  version: string;
  serverUrl: string;
  operations: ContractOperation[];
  operation(method: string, path: string): ContractOperation;
}

export const CONTRACT_FILES = [
  new URL("./contracts/omnisend-events-api-2026-03-15.json.gz", import.meta.url),
  new URL("./contracts/omnisend-contacts-api-2026-03-15.json.gz", import.meta.url),
];

interface RawParameter {
  $ref?: string;
  in?: string;
  name?: string;
  schema?: { default?: string };
}
interface RawOperation {
  description?: string;
  parameters?: RawParameter[];
  requestBody?: { $ref?: string; content?: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, string[]>[];
}
interface RawDocument {
  servers: { url: string }[];
  paths: Record<string, Record<string, RawOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    parameters?: Record<string, RawParameter>;
    requestBodies?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  };
}

const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete"]);

function componentResolver<T>(components: Record<string, T> | undefined, kind: string) {
  const prefix = `#/components/${kind}/`;
  return (ref: string): T => {
    const found = ref.startsWith(prefix) ? components?.[ref.slice(prefix.length)] : undefined;
    if (!found) throw new Error(`Unresolvable $ref ${ref}`);
    return found;
  };
}

function versionOf(doc: RawDocument): string {
  const header = Object.values(doc.components.parameters ?? {}).find(
    (p) => p.in === "header" && p.name === "Omnisend-Version",
  );
  const version = header?.schema?.default;
  if (!version) throw new Error("Omnisend contract declares no Omnisend-Version header default");
  return version;
}

function operationsOf(doc: RawDocument): ContractOperation[] {
  const resolveRef = componentResolver(doc.components.schemas, "schemas");
  const resolveBody = componentResolver(doc.components.requestBodies, "requestBodies");
  const operations: ContractOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const body = op.requestBody?.$ref ? resolveBody(op.requestBody.$ref) : op.requestBody;
      const limit = /rate limited to (\d+) requests per minute/i.exec(op.description ?? "");
      operations.push({
        method: method.toUpperCase(),
        path,
        requestSchema: body?.content?.["application/json"]?.schema,
        resolveRef,
        scopes: (op.security ?? []).flatMap((s) => s.Bearer ?? []),
        requestsPerMinute: limit ? Number(limit[1]) : undefined,
      });
    }
  }
  return operations;
}

function buildContract(docs: RawDocument[]): OmnisendContract {
  const versions = new Set(docs.map(versionOf));
  const servers = new Set(docs.map((d) => d.servers[0]?.url));
  // The stand-in serves both documents under one base URL and one version header.
  if (versions.size !== 1 || servers.size !== 1) {
    throw new Error(
      `Omnisend contracts disagree: versions ${[...versions]}, servers ${[...servers]}`,
    );
  }
  const operations = docs.flatMap(operationsOf);
  return {
    version: [...versions][0]!,
    serverUrl: [...servers][0]!,
    operations,
    operation(method, path) {
      const op = operations.find((o) => o.method === method && o.path === path);
      if (!op) throw new Error(`Omnisend contract has no operation ${method} ${path}`);
      return op;
    },
  };
}

let cached: OmnisendContract | undefined;

/** Parsed once per process; every stand-in instance shares it read-only. */
export function loadOmnisendContract(): OmnisendContract {
  cached ??= buildContract(
    CONTRACT_FILES.map(
      (file) => JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as RawDocument,
    ),
  );
  return cached;
}
