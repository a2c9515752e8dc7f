/**
 * A validator for the JSON Schema subset that Klaviyo's request-body schemas use. It reports
 * JSON Pointers (RFC 6901) because Klaviyo's 400s name the offending field in `source.pointer`,
 * and the app's error handling (and its tests) key off that pointer.
 *
 * Each schema is compiled once into a tree of closures (cached per schema object and `$ref`
 * resolver): `$ref`s are followed, `nullable` carried across them, enum and oneOf messages
 * formatted and declared properties put in a Map at compile time. Validation then only walks the
 * value. The pointer is kept as a stack of path tokens and only turned into a string when a
 * violation is reported, and an object whose schema declares no properties (an event's free-form
 * `properties`) is not walked at all, since no key of it can be wrong. A bulk request's 1,000 events
 * or 10,000 profiles are all checked, with one compiled item validator. The reports are those of
 * the interpreter this replaced (openapi-validator-reference.ts, the test oracle; ADR 0046).
 */
import type { JsonSchema } from "./openapi";

export interface SchemaViolation {
  pointer: string;
  detail: string;
}

export interface ValidateOptions {
  /** Follows `$ref`s; usually `contract.resolveRef`. */
  resolveRef: (ref: string) => JsonSchema;
  /**
   * Klaviyo rejects attributes its schema does not declare ("'phoneNumber' is not a valid field
   * for the resource 'profile'."), even though the OpenAPI document never says
   * `additionalProperties: false`. On by default so camelCase-on-the-wire bugs surface locally.
   */
  rejectUnknownFields?: boolean;
  maxViolations?: number;
}

/** Path tokens from the document root: object keys (unescaped) and array indices. */
type Path = (string | number)[];

interface Context {
  out: SchemaViolation[];
  max: number;
  rejectUnknownFields: boolean;
  path: Path;
}

/** Checks `value` at the context's path; `resource` names the resource in Klaviyo's messages. */
type Validator = (value: unknown, resource: string, ctx: Context) => void;

type ResolveRef = ValidateOptions["resolveRef"];

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function pointerOf(path: Path, last?: string): string {
  let pointer = "";
  for (const token of path) {
    pointer += typeof token === "number" ? `/${token}` : `/${escapePointerToken(token)}`;
  }
  return last === undefined ? pointer : `${pointer}/${escapePointerToken(last)}`;
}

function report(ctx: Context, detail: string, last?: string): void {
  ctx.out.push({ pointer: pointerOf(ctx.path, last), detail });
}

/** Compiled validators per `$ref` resolver (one per contract) and schema object. */
const compiledByResolver = new WeakMap<ResolveRef, WeakMap<JsonSchema, Validator>>();

/**
 * Schemas are compiled on first use and assumed not to change afterwards (the contract is read
 * once per process and never written).
 */
export function validateAgainstSchema(
  value: unknown,
  schema: JsonSchema,
  options: ValidateOptions,
): SchemaViolation[] {
  const ctx: Context = {
    out: [],
    max: options.maxViolations ?? 20,
    rejectUnknownFields: options.rejectUnknownFields ?? true,
    path: [],
  };
  compile(schema, options.resolveRef)(value, "document", ctx);
  return ctx.out.slice(0, ctx.max);
}

function compile(raw: JsonSchema, resolveRef: ResolveRef): Validator {
  let cache = compiledByResolver.get(resolveRef);
  if (!cache) {
    cache = new WeakMap();
    compiledByResolver.set(resolveRef, cache);
  }
  try {
    return compileCached(raw, resolveRef, cache);
  } catch (error) {
    // An unresolvable $ref: nothing half-built (placeholders included) may be reused.
    compiledByResolver.delete(resolveRef);
    throw error;
  }
}

function compileCached(
  raw: JsonSchema,
  resolveRef: ResolveRef,
  cache: WeakMap<JsonSchema, Validator>,
): Validator {
  const done = cache.get(raw);
  if (done) return done;
  // A schema that (through $refs) contains itself reaches this placeholder while it is compiled.
  const slot: { check?: Validator } = {};
  cache.set(raw, (value, resource, ctx) => slot.check!(value, resource, ctx));
  slot.check = build(raw, resolveRef, (child) => compileCached(child, resolveRef, cache));
  cache.set(raw, slot.check);
  return slot.check;
}

/**
 * OpenAPI 3.0 says siblings of `$ref` are ignored, but Klaviyo's document writes
 * `{ $ref, nullable: true }` and means it, so `nullable` is carried across the reference.
 */
function deref(schema: JsonSchema, resolveRef: ResolveRef): JsonSchema {
  let current = schema;
  let nullable = schema.nullable === true;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${schema.$ref}`);
    current = resolveRef(current.$ref);
    nullable ||= current.nullable === true;
  }
  return nullable && !current.nullable ? { ...current, nullable } : current;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const TYPE_TESTS: Record<NonNullable<JsonSchema["type"]>, (value: unknown) => boolean> = {
  object: isPlainObject,
  array: (value) => Array.isArray(value),
  string: (value) => typeof value === "string",
  boolean: (value) => typeof value === "boolean",
  number: (value) => typeof value === "number" && Number.isFinite(value),
  integer: (value) => typeof value === "number" && Number.isInteger(value),
};

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function formatProblem(value: string, format: string | undefined): string | undefined {
  if (format === "date-time" && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
    return `'${value}' is not a valid ISO 8601 datetime.`;
  }
  if (format === "date" && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) {
    return `'${value}' is not a valid date (YYYY-MM-DD).`;
  }
  return undefined;
}

/**
 * One schema node, in the interpreter's order: null, allOf, oneOf/anyOf, type, enum, then the
 * keywords of the value's kind. Each keyword the schema lacks compiles to nothing.
 */
function build(
  raw: JsonSchema,
  resolveRef: ResolveRef,
  sub: (schema: JsonSchema) => Validator,
): Validator {
  const schema = deref(raw, resolveRef);
  const nullable = schema.nullable === true;
  const allOf = (schema.allOf ?? []).map(sub);
  const alternatives = schema.oneOf ?? schema.anyOf;
  const anyOf = alternatives?.map(sub);
  const allowed = alternatives?.map((alt) => deref(alt, resolveRef).type ?? "schema").join(" or ");
  const type = schema.type;
  const typeTest = type ? TYPE_TESTS[type] : undefined;
  const choices = schema.enum;
  const choicesText = choices?.map((e) => JSON.stringify(e)).join(", ");
  const checkString = compileString(schema);
  const checkNumber = compileNumber(schema);
  const checkArray = compileArray(schema, sub);
  const checkObject = compileObject(schema, sub);

  return (value, resource, ctx) => {
    if (ctx.out.length >= ctx.max) return;
    if (value === null) {
      if (!nullable) report(ctx, "This field may not be null.");
      return;
    }
    for (const check of allOf) check(value, resource, ctx);
    if (anyOf) {
      // oneOf is checked as anyOf: Klaviyo's branches are disjoint (string | number), and being
      // stricter than the real server would fail requests that Klaviyo accepts.
      if (!anyOf.some((check) => passes(check, value, resource, ctx))) {
        report(ctx, `Expected ${allowed}, got ${typeName(value)}.`);
      }
    }
    if (typeTest && !typeTest(value)) {
      report(ctx, `Expected ${type}, got ${typeName(value)}.`);
      return;
    }
    if (choices && !choices.includes(value)) {
      report(ctx, `${JSON.stringify(value)} is not one of ${choicesText}.`);
      return;
    }
    if (typeof value === "string") checkString?.(value, ctx);
    else if (typeof value === "number") checkNumber?.(value, ctx);
    else if (Array.isArray(value)) checkArray?.(value, resource, ctx);
    else if (isPlainObject(value)) checkObject?.(value, resource, ctx);
  };
}

/** Whether a oneOf/anyOf branch accepts the value; what it would report is thrown away. */
function passes(check: Validator, value: unknown, resource: string, ctx: Context): boolean {
  const scratch: Context = { ...ctx, out: [] };
  check(value, resource, scratch);
  return scratch.out.length === 0;
}

function compileString(schema: JsonSchema) {
  const { format, maxLength, minLength } = schema;
  if (format === undefined && maxLength === undefined && minLength === undefined) return undefined;
  return (value: string, ctx: Context) => {
    const problem = formatProblem(value, format);
    if (problem) report(ctx, problem);
    if (maxLength !== undefined && value.length > maxLength) {
      report(ctx, `Must be at most ${maxLength} characters.`);
    }
    if (minLength !== undefined && value.length < minLength) {
      report(ctx, `Must be at least ${minLength} characters.`);
    }
  };
}

function compileNumber(schema: JsonSchema) {
  const { minimum, maximum } = schema;
  if (minimum === undefined && maximum === undefined) return undefined;
  return (value: number, ctx: Context) => {
    if (minimum !== undefined && value < minimum) {
      report(ctx, `Must be greater than or equal to ${minimum}.`);
    }
    if (maximum !== undefined && value > maximum) {
      report(ctx, `Must be less than or equal to ${maximum}.`);
    }
  };
}

function compileArray(schema: JsonSchema, sub: (schema: JsonSchema) => Validator) {
  const { maxItems, minItems } = schema;
  const item = schema.items ? sub(schema.items) : undefined;
  if (maxItems === undefined && minItems === undefined && !item) return undefined;
  return (value: unknown[], resource: string, ctx: Context) => {
    if (maxItems !== undefined && value.length > maxItems) {
      report(ctx, `Must contain at most ${maxItems} items.`);
      return;
    }
    if (minItems !== undefined && value.length < minItems) {
      report(ctx, `Must contain at least ${minItems} items.`);
    }
    if (!item) return;
    const { path } = ctx;
    for (let i = 0; i < value.length && ctx.out.length < ctx.max; i++) {
      path.push(i);
      item(value[i], resource, ctx);
      path.pop();
    }
  };
}

function compileObject(schema: JsonSchema, sub: (schema: JsonSchema) => Validator) {
  const required = schema.required ?? [];
  // Own properties only: a key such as `constructor` is not declared by Object.prototype.
  const declared = schema.properties
    ? new Map(Object.entries(schema.properties).map(([key, child]) => [key, sub(child)]))
    : undefined;
  const additional = schema.additionalProperties;
  const additionalCheck = typeof additional === "object" ? sub(additional) : undefined;
  // Without declared properties or an additionalProperties schema no key can be wrong (an event's
  // free-form `properties`): only the required keys are looked at.
  const walksKeys = declared !== undefined || additionalCheck !== undefined;
  if (required.length === 0 && !walksKeys) return undefined;
  return (value: Record<string, unknown>, resource: string, ctx: Context) => {
    for (const key of required) {
      if (!(key in value)) {
        report(ctx, `'${key}' is a required field for the resource '${resource}'.`, key);
      }
    }
    if (!walksKeys) return;
    const { path } = ctx;
    for (const key of Object.keys(value)) {
      // Klaviyo names the resource after data.type inside `attributes`, else after the parent key.
      const childResource =
        key === "attributes" && typeof value.type === "string" ? value.type : key;
      const check = declared?.get(key) ?? additionalCheck;
      if (check) {
        path.push(key);
        check(value[key], childResource, ctx);
        path.pop();
      } else if (
        declared !== undefined &&
        (additional === false || (ctx.rejectUnknownFields && additional !== true))
      ) {
        report(ctx, `'${key}' is not a valid field for the resource '${resource}'.`, key);
      }
    }
  };
}
