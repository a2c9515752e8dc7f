/**
 * Omnisend's rules for contact custom properties, which the contract leaves as a free-form object
 * but the v4.0 reference spells out (not restated for 2026-03-15, so applied as a guess): at most
 * 200 per contact; names of Latin letters, digits and `_`, at most 128 characters, case-sensitive;
 * string values at most 2048 characters; no objects (lists of scalars are the "list" type).
 */
import type { CustomPropertyValue } from "./model";
import type { FieldError } from "./problems";
import { isPlainObject } from "./schema-validator";

export const MAX_CUSTOM_PROPERTIES = 200;
export const MAX_PROPERTY_NAME_LENGTH = 128;
export const MAX_PROPERTY_STRING_LENGTH = 2048;
const PROPERTY_NAME = /^[A-Za-z0-9_]+$/;

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/** Problems with one value, or undefined; `field` is the property's own path. */
function valueError(value: unknown, field: string): FieldError | undefined {
  if (value === null) return undefined;
  if (typeof value === "string" && value.length > MAX_PROPERTY_STRING_LENGTH) {
    const message = `String values must be at most ${MAX_PROPERTY_STRING_LENGTH} characters.`;
    return { field, code: "too_long", message };
  }
  if (isScalar(value)) return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const error = isScalar(item)
        ? valueError(item, `${field}.${i}`)
        : { field: `${field}.${i}`, code: "invalid_type", message: "Lists may hold only scalars." };
      if (error) return error;
    }
    return undefined;
  }
  const message = "Objects are not allowed in custom properties; use scalars or lists of scalars.";
  return { field, code: "invalid_type", message };
}

/**
 * Checks `customProperties` as sent (`at` is its dot path, e.g. `contact.customProperties`).
 * The 200-property cap is checked again against the merged contact (`checkPropertyCount`).
 */
export function customPropertyErrors(value: unknown, at: string): FieldError[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) {
    return [{ field: at, code: "invalid_type", message: "Must be an object." }];
  }
  const errors: FieldError[] = [];
  const names = Object.keys(value);
  const countError = checkPropertyCount(names.length, at);
  if (countError) errors.push(countError);
  for (const name of names) {
    const field = `${at}.${name}`;
    if (!PROPERTY_NAME.test(name)) {
      const message = "Names may contain only Latin letters, digits and underscores.";
      errors.push({ field, code: "invalid_name", message });
    } else if (name.length > MAX_PROPERTY_NAME_LENGTH) {
      const message = `Names must be at most ${MAX_PROPERTY_NAME_LENGTH} characters.`;
      errors.push({ field, code: "invalid_name", message });
    }
    const error = valueError(value[name], field);
    if (error) errors.push(error);
  }
  return errors;
}

export function checkPropertyCount(count: number, at: string): FieldError | undefined {
  if (count <= MAX_CUSTOM_PROPERTIES) return undefined;
  const message = `A contact may have at most ${MAX_CUSTOM_PROPERTIES} custom properties (got ${count}).`;
  return { field: at, code: "too_many_properties", message };
}

/** Only call with values that passed `customPropertyErrors`. */
export function asCustomProperties(value: unknown): Record<string, CustomPropertyValue> {
  return isPlainObject(value) ? { ...(value as Record<string, CustomPropertyValue>) } : {};
}
