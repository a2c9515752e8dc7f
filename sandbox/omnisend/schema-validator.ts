/**
 * Validates request bodies against the contracts' schemas and reports Omnisend `FieldError`s
 * (`field` as a dot-separated path, a `code`, a `message`). Its own small validator rather than
 * the Klaviyo stand-in's: that one reports JSON Pointers with Klaviyo's wording and no codes, and
 * these schemas use only a handful of keywords ($ref, allOf, type, enum, properties, required,
 * additionalProperties, items, min/maxItems, maxLength, format date).
 *
 * Like Omnisend (and the task's brief), fields an object schema does not declare are rejected
 * unless the schema says `additionalProperties: true` (customProperties, event properties).
 * The codes are the stand-in's guess; the contract only gives `invalid_format` as an example.
 */
import type { JsonSchema, ResolveRef } from "./openapi";
import type { FieldError } from "./problems";

export interface ValidateOptions {
  resolveRef: ResolveRef;
  rejectUnknownFields?: boolean;
}

interface Context {
  resolveRef: ResolveRef;
  rejectUnknownFields: boolean;
  out: FieldError[];
}

const MAX_ERRORS = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validateAgainstSchema(
  value: unknown,
  schema: JsonSchema,
  options: ValidateOptions,
): FieldError[] {
  const ctx: Context = {
    resolveRef: options.resolveRef,
    rejectUnknownFields: options.rejectUnknownFields ?? true,
    out: [],
  };
  check(value, schema, [], ctx);
  return ctx.out.slice(0, MAX_ERRORS);
}

export function fieldPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? "body" : path.join(".");
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

const TYPE_TESTS: Record<NonNullable<JsonSchema["type"]>, (value: unknown) => boolean> = {
  object: isPlainObject,
  array: Array.isArray,
  string: (v) => typeof v === "string",
  boolean: (v) => typeof v === "boolean",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => typeof v === "number" && Number.isInteger(v),
};

function deref(schema: JsonSchema, resolveRef: ResolveRef): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${schema.$ref}`);
    current = resolveRef(current.$ref);
  }
  return current;
}

/**
 * The keys an object schema declares, its allOf parts' included; undefined when any of them
 * admits additional properties (then no key is unknown).
 */
function declaredProperties(schema: JsonSchema, resolveRef: ResolveRef): Set<string> | undefined {
  let names: Set<string> | undefined;
  let open = false;
  const visit = (s: JsonSchema) => {
    const resolved = deref(s, resolveRef);
    if (resolved.properties) {
      names ??= new Set();
      for (const key of Object.keys(resolved.properties)) names.add(key);
    }
    if (resolved.additionalProperties !== undefined && resolved.additionalProperties !== false) {
      open = true;
    }
    for (const part of resolved.allOf ?? []) visit(part);
  };
  visit(schema);
  return open ? undefined : names;
}

/**
 * `judgesUnknownFields` is false for the parts of an allOf: a part sees only its own properties,
 * so the schema holding the allOf decides which keys are unknown, from all parts together.
 */
function check(
  value: unknown,
  raw: JsonSchema,
  path: (string | number)[],
  ctx: Context,
  judgesUnknownFields = true,
): void {
  if (ctx.out.length >= MAX_ERRORS) return;
  const schema = deref(raw, ctx.resolveRef);
  const report = (code: string, message: string, at = path) =>
    ctx.out.push({ field: fieldPath(at), code, message });

  if (value === null) {
    if (!schema.nullable) report("invalid_type", "Must not be null.");
    return;
  }
  for (const part of schema.allOf ?? []) check(value, part, path, ctx, false);
  if (schema.type && !TYPE_TESTS[schema.type](value)) {
    report("invalid_type", `Expected ${schema.type}, got ${typeName(value)}.`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    report("invalid_value", `Must be one of: ${schema.enum.map(String).join(", ")}.`);
    return;
  }
  if (typeof value === "string") checkString(value, schema, report);
  else if (typeof value === "number") checkNumber(value, schema, report);
  else if (Array.isArray(value)) checkArray(value, schema, path, ctx, report);
  else if (isPlainObject(value)) checkObject(value, schema, path, ctx, report, judgesUnknownFields);
}

type Report = (code: string, message: string, at?: (string | number)[]) => void;

function checkString(value: string, schema: JsonSchema, report: Report): void {
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    report("too_long", `Must be at most ${schema.maxLength} characters.`);
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    report("too_short", `Must be at least ${schema.minLength} characters.`);
  }
  if (schema.format === "date" && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) {
    report("invalid_format", "Must be a date in YYYY-MM-DD format.");
  }
}

function checkNumber(value: number, schema: JsonSchema, report: Report): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    report("out_of_range", `Must be at least ${schema.minimum}.`);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    report("out_of_range", `Must be at most ${schema.maximum}.`);
  }
}

function checkArray(
  value: unknown[],
  schema: JsonSchema,
  path: (string | number)[],
  ctx: Context,
  report: Report,
): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    report("too_many_items", `Must contain at most ${schema.maxItems} items.`);
    return;
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    report("too_few_items", `Must contain at least ${schema.minItems} items.`);
  }
  if (!schema.items) return;
  value.forEach((item, i) => check(item, schema.items!, [...path, i], ctx));
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  path: (string | number)[],
  ctx: Context,
  report: Report,
  judgesUnknownFields: boolean,
): void {
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) report("required", "This field is required.", [...path, key]);
  }
  const declared =
    judgesUnknownFields && ctx.rejectUnknownFields
      ? declaredProperties(schema, ctx.resolveRef)
      : undefined;
  const additional =
    typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value)) {
    const childSchema = Object.hasOwn(schema.properties ?? {}, key)
      ? schema.properties![key]!
      : additional;
    if (childSchema) check(child, childSchema, [...path, key], ctx);
    else if (declared && !declared.has(key)) {
      report("unknown_field", `Unknown field '${key}'.`, [...path, key]);
    }
  }
}
