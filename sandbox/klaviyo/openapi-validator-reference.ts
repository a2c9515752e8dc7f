/**
 * The stand-in's first validator, a plain interpreter that walks the schema for every request.
 * It is kept only as the oracle of openapi-validator.test.ts: the compiled validator the stand-in
 * uses (openapi-validator.ts) must report exactly what this one reports, for any body (ADR 0046).
 * Not imported by the stand-in itself.
 */
import type { JsonSchema } from "./openapi";
import type { SchemaViolation, ValidateOptions } from "./openapi-validator";

interface Context {
  opts: Required<ValidateOptions>;
  out: SchemaViolation[];
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function validateAgainstSchemaReference(
  value: unknown,
  schema: JsonSchema,
  options: ValidateOptions,
): SchemaViolation[] {
  const ctx: Context = {
    opts: { rejectUnknownFields: true, maxViolations: 20, ...options },
    out: [],
  };
  check(value, schema, "", "document", ctx);
  return ctx.out.slice(0, ctx.opts.maxViolations);
}

/**
 * OpenAPI 3.0 says siblings of `$ref` are ignored, but Klaviyo's document writes
 * `{ $ref, nullable: true }` and means it, so `nullable` is carried across the reference.
 */
function deref(schema: JsonSchema, ctx: Context): JsonSchema {
  let current = schema;
  let nullable = schema.nullable === true;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${schema.$ref}`);
    current = ctx.opts.resolveRef(current.$ref);
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

function matchesType(value: unknown, type: NonNullable<JsonSchema["type"]>): boolean {
  switch (type) {
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
  }
}

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

/** Runs `fn` against a scratch list so a failed branch of oneOf/anyOf leaves no trace. */
function quietly(ctx: Context, fn: (scratch: Context) => void): SchemaViolation[] {
  const scratch: Context = { opts: ctx.opts, out: [] };
  fn(scratch);
  return scratch.out;
}

function check(value: unknown, raw: JsonSchema, pointer: string, resource: string, ctx: Context) {
  if (ctx.out.length >= ctx.opts.maxViolations) return;
  const schema = deref(raw, ctx);
  if (value === null) {
    if (!schema.nullable) ctx.out.push({ pointer, detail: "This field may not be null." });
    return;
  }
  for (const sub of schema.allOf ?? []) check(value, sub, pointer, resource, ctx);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    // oneOf is checked as anyOf: Klaviyo's branches are disjoint (string | number), and being
    // stricter than the real server would fail requests that Klaviyo accepts.
    const failures = alternatives.map((alt) =>
      quietly(ctx, (scratch) => check(value, alt, pointer, resource, scratch)),
    );
    if (!failures.some((f) => f.length === 0)) {
      const allowed = alternatives.map((alt) => deref(alt, ctx).type ?? "schema").join(" or ");
      ctx.out.push({ pointer, detail: `Expected ${allowed}, got ${typeName(value)}.` });
    }
  }
  if (schema.type && !matchesType(value, schema.type)) {
    ctx.out.push({ pointer, detail: `Expected ${schema.type}, got ${typeName(value)}.` });
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    const choices = schema.enum.map((e) => JSON.stringify(e)).join(", ");
    ctx.out.push({ pointer, detail: `${JSON.stringify(value)} is not one of ${choices}.` });
    return;
  }
  if (typeof value === "string") checkString(value, schema, pointer, ctx);
  if (typeof value === "number") checkNumber(value, schema, pointer, ctx);
  if (Array.isArray(value)) checkArray(value, schema, pointer, resource, ctx);
  if (isPlainObject(value)) checkObject(value, schema, pointer, resource, ctx);
}

function checkString(value: string, schema: JsonSchema, pointer: string, ctx: Context) {
  const problem = formatProblem(value, schema.format);
  if (problem) ctx.out.push({ pointer, detail: problem });
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    ctx.out.push({ pointer, detail: `Must be at most ${schema.maxLength} characters.` });
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    ctx.out.push({ pointer, detail: `Must be at least ${schema.minLength} characters.` });
  }
}

function checkNumber(value: number, schema: JsonSchema, pointer: string, ctx: Context) {
  if (schema.minimum !== undefined && value < schema.minimum) {
    ctx.out.push({ pointer, detail: `Must be greater than or equal to ${schema.minimum}.` });
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    ctx.out.push({ pointer, detail: `Must be less than or equal to ${schema.maximum}.` });
  }
}

function checkArray(
  value: unknown[],
  schema: JsonSchema,
  pointer: string,
  resource: string,
  ctx: Context,
) {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    ctx.out.push({ pointer, detail: `Must contain at most ${schema.maxItems} items.` });
    return;
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    ctx.out.push({ pointer, detail: `Must contain at least ${schema.minItems} items.` });
  }
  if (!schema.items) return;
  for (let i = 0; i < value.length && ctx.out.length < ctx.opts.maxViolations; i++) {
    check(value[i], schema.items, `${pointer}/${i}`, resource, ctx);
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  pointer: string,
  resource: string,
  ctx: Context,
) {
  const declared = schema.properties;
  for (const key of schema.required ?? []) {
    if (!(key in value)) {
      ctx.out.push({
        pointer: `${pointer}/${escapePointerToken(key)}`,
        detail: `'${key}' is a required field for the resource '${resource}'.`,
      });
    }
  }
  for (const [key, child] of Object.entries(value)) {
    const childPointer = `${pointer}/${escapePointerToken(key)}`;
    // Klaviyo names the resource after data.type inside `attributes`, else after the parent key.
    const childResource = key === "attributes" && typeof value.type === "string" ? value.type : key;
    const propertySchema = declared?.[key];
    if (propertySchema) {
      check(child, propertySchema, childPointer, childResource, ctx);
    } else if (typeof schema.additionalProperties === "object") {
      check(child, schema.additionalProperties, childPointer, childResource, ctx);
    } else if (
      declared !== undefined &&
      (schema.additionalProperties === false ||
        (ctx.opts.rejectUnknownFields && schema.additionalProperties !== true))
    ) {
      ctx.out.push({
        pointer: childPointer,
        detail: `'${key}' is not a valid field for the resource '${resource}'.`,
      });
    }
  }
}
