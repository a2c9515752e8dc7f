/**
 * Event rules that Klaviyo documents in prose (model docstrings and endpoint descriptions)
 * rather than in the schema, so the OpenAPI validator alone would let them through.
 */
import { toKlaviyoTime } from "./account-state";
import { escapePointerToken } from "./openapi-validator";
import type { ApiError } from "./jsonapi";
import { invalidInput } from "./jsonapi";
import type { Json, JsonObject } from "./model";
import { asObject } from "./profiles";

export const MAX_EVENT_PROPERTIES = 400;
export const MAX_METRIC_NAME_LENGTH = 127;
export const MAX_STRING_BYTES = 100 * 1024;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const EARLIEST_TIME_MS = Date.UTC(1990, 0, 1);

export function metricName(attrs: JsonObject): string {
  const name = asObject(asObject(asObject(attrs.metric).data).attributes).name;
  return typeof name === "string" ? name : "";
}

/** `null` when the time is unusable; callers report that through `checkEventAttributes`. */
export function eventTimeMs(attrs: JsonObject, now: number): number | null {
  if (attrs.time === undefined || attrs.time === null) return now;
  if (typeof attrs.time !== "string") return null;
  const ms = Date.parse(attrs.time);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000) * 1000;
}

/** Klaviyo's default unique_id is the event time to the second. */
export function effectiveUniqueId(attrs: JsonObject, timeMs: number): string {
  return typeof attrs.unique_id === "string" && attrs.unique_id !== ""
    ? attrs.unique_id
    : toKlaviyoTime(timeMs);
}

/**
 * The path to the first string over 100 KB, if any. Only its pointer is ever formatted: building one
 * per property cost more than the check (every property of every event in a bulk request).
 */
function oversizedStringPath(value: Json, path: (string | number)[]): boolean {
  if (typeof value === "string") {
    // A UTF-8 byte is at least one UTF-16 unit and at most three, so most strings need no count.
    if (value.length * 3 <= MAX_STRING_BYTES) return false;
    return Buffer.byteLength(value, "utf8") > MAX_STRING_BYTES;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      if (oversizedStringPath(value[i] ?? null, path)) return true;
      path.pop();
    }
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      path.push(key);
      if (oversizedStringPath(value[key]!, path)) return true;
      path.pop();
    }
  }
  return false;
}

function findOversizedString(value: Json, pointer: string): string | undefined {
  const path: (string | number)[] = [];
  if (!oversizedStringPath(value, path)) return undefined;
  return path.reduce<string>(
    (at, token) => `${at}/${typeof token === "number" ? token : escapePointerToken(token)}`,
    pointer,
  );
}

/** `pointer` addresses the event's `attributes` object. */
export function checkEventAttributes(attrs: JsonObject, pointer: string, now: number): ApiError[] {
  const errors: ApiError[] = [];
  const properties = asObject(attrs.properties);
  const count = Object.keys(properties).length;
  if (count > MAX_EVENT_PROPERTIES) {
    errors.push(
      invalidInput(
        `${pointer}/properties`,
        `Event properties must not exceed ${MAX_EVENT_PROPERTIES} properties (got ${count}).`,
      ),
    );
  }
  const oversized = findOversizedString(properties, `${pointer}/properties`);
  if (oversized) errors.push(invalidInput(oversized, "A single string cannot exceed 100KB."));

  const name = metricName(attrs);
  const namePointer = `${pointer}/metric/data/attributes/name`;
  if (name.trim() === "") errors.push(invalidInput(namePointer, "Metric name must not be blank."));
  if (name.length > MAX_METRIC_NAME_LENGTH) {
    errors.push(invalidInput(namePointer, "Metric name must be less than 128 characters."));
  }

  const time = eventTimeMs(attrs, now);
  if (time === null) {
    errors.push(invalidInput(`${pointer}/time`, "Invalid datetime."));
  } else if (time <= EARLIEST_TIME_MS) {
    errors.push(invalidInput(`${pointer}/time`, "The time must be after the year 1990."));
  } else if (time > now + YEAR_MS) {
    errors.push(
      invalidInput(`${pointer}/time`, "The time can only be up to 1 year in the future."),
    );
  }
  return errors;
}
