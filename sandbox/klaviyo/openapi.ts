/**
 * Loads Klaviyo's published OpenAPI document (committed under contracts/) and exposes the parts
 * the stand-in needs: request-body schemas and the per-operation rate limits. Reading both from
 * the contract, instead of retyping them, means a contract upgrade changes the stand-in too.
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
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  maxItems?: number;
  minItems?: number;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
}

/** Requests allowed per fixed window; `daily` only exists on a few endpoints (e.g. Create List). */
export interface EndpointLimits {
  burst: number;
  steady: number;
  daily?: number;
}

/** Operations the stand-in serves, named by Klaviyo's own operationId. */
export const STAND_IN_OPERATIONS = [
  "create_event",
  "bulk_create_events",
  "create_or_update_profile",
  "bulk_import_profiles",
  "get_bulk_import_profiles_job",
  "get_errors_for_bulk_import_profiles_job",
  "get_metrics",
  "get_accounts",
  "bulk_subscribe_profiles",
  "get_lists",
  "create_list",
  "get_profiles_for_list",
  "remove_profiles_from_list",
] as const;
export type KlaviyoOperation = (typeof STAND_IN_OPERATIONS)[number];

export interface ContractOperation {
  operationId: string;
  method: string;
  /** OpenAPI path template, e.g. `/api/profile-bulk-import-jobs/{job_id}`. */
  path: string;
  requestSchema: JsonSchema | undefined;
  limits: EndpointLimits | undefined;
  /** `x-klaviyo-scopes`: what a private key or OAuth token must be granted to call it. */
  scopes: string[];
}

export interface KlaviyoContract {
  revision: string;
  operations: ContractOperation[];
  operation(id: KlaviyoOperation): ContractOperation;
  /** Follows a `#/components/schemas/...` pointer. */
  resolveRef(ref: string): JsonSchema;
}

export const CONTRACT_FILE = new URL(
  "../../contracts/klaviyo-openapi-stable-2026-07-15.json.gz",
  import.meta.url,
);

interface RawOperation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  "x-klaviyo-ratelimit"?: Record<string, string>;
  "x-klaviyo-scopes"?: string[];
}
interface RawDocument {
  info: { version: string };
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete"]);

function parseLimits(raw: Record<string, string> | undefined): EndpointLimits | undefined {
  if (!raw) return undefined;
  const count = (value: string | undefined): number | undefined => {
    const match = value === undefined ? null : /^(\d+)\/[smd]$/.exec(value);
    return match ? Number(match[1]) : undefined;
  };
  const burst = count(raw.burst);
  const steady = count(raw.steady);
  if (burst === undefined || steady === undefined) return undefined;
  const daily = count(raw.daily);
  return daily === undefined ? { burst, steady } : { burst, steady, daily };
}

function buildContract(doc: RawDocument): KlaviyoContract {
  const operations: ContractOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !op.operationId) continue;
      const content = op.requestBody?.content ?? {};
      const media = content["application/vnd.api+json"] ?? content["application/json"];
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        requestSchema: media?.schema,
        limits: parseLimits(op["x-klaviyo-ratelimit"]),
        scopes: op["x-klaviyo-scopes"] ?? [],
      });
    }
  }
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  // Fail at startup rather than at request time if a contract upgrade renamed an operation.
  for (const id of STAND_IN_OPERATIONS) {
    if (!byId.has(id)) throw new Error(`Klaviyo contract has no operation ${id}`);
  }
  return {
    revision: doc.info.version,
    operations,
    operation(id) {
      const op = byId.get(id);
      if (!op) throw new Error(`Unknown operation ${id}`);
      return op;
    },
    resolveRef(ref) {
      const prefix = "#/components/schemas/";
      const schema = ref.startsWith(prefix)
        ? doc.components.schemas[ref.slice(prefix.length)]
        : undefined;
      if (!schema) throw new Error(`Unresolvable $ref ${ref}`);
      return schema;
    },
  };
}

let cached: KlaviyoContract | undefined;

/** Parses the 3 MB document once per process; every stand-in instance shares it read-only. */
export function loadKlaviyoContract(): KlaviyoContract {
  cached ??= buildContract(JSON.parse(gunzipSync(readFileSync(CONTRACT_FILE)).toString("utf8")));
  return cached;
}
