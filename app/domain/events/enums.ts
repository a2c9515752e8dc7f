import { z } from "zod";
import { EVENT_TYPES, eventDefinition, type LoyaltyEventType } from "./catalog";

/** One enum of the catalog's payloads (a source, a reason, a reward type, a change kind). */
export type CatalogEnum = { type: LoyaltyEventType; key: string; values: readonly string[] };

/** The enum values of a payload field, through .nullable() and .default(); null if not an enum. */
function enumValues(field: unknown): string[] | null {
  let inner = field;
  for (;;) {
    if (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) inner = inner.unwrap();
    else if (inner instanceof z.ZodDefault) inner = inner.removeDefault();
    else break;
  }
  return inner instanceof z.ZodEnum ? inner.options.map(String) : null;
}

/**
 * Every enum field of every catalog event, with its values: the public contract's vocabulary,
 * each value of which some part of the app must produce (issue #21; tests/setup/event-coverage).
 */
export function catalogEnums(): CatalogEnum[] {
  return EVENT_TYPES.flatMap((type) =>
    Object.entries(eventDefinition(type).payload.shape).flatMap(([key, field]) => {
      const values = enumValues(field);
      return values ? [{ type, key, values }] : [];
    }),
  );
}

/**
 * The values no event produced, as "types key = value". `produced` holds "type|key|value" for
 * every value seen. An enum shared by several events (reward_type on every reward.* event) is one
 * enum: a value counts once any of them carries it.
 */
export function unproducedValues(
  enums: { type: string; key: string; values: readonly string[] }[],
  produced: Set<string>,
): string[] {
  const groups = new Map<string, { types: string[]; key: string; values: readonly string[] }>();
  for (const e of enums) {
    const id = `${e.key}=${e.values.join(",")}`;
    const group = groups.get(id) ?? { types: [], key: e.key, values: e.values };
    group.types.push(e.type);
    groups.set(id, group);
  }
  const missing: string[] = [];
  for (const { types, key, values } of groups.values()) {
    for (const value of values) {
      if (!types.some((type) => produced.has(`${type}|${key}|${value}`))) {
        missing.push(`${types.join("/")} ${key} = ${value}`);
      }
    }
  }
  return missing;
}
