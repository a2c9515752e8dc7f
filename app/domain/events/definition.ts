import type { z } from "zod";
import type { MemberSnapshot } from "./member-snapshot";
import { flowCustomerId } from "./member-snapshot";

// The shape of one catalog entry and the helper that turns a compact spec (fields with a value
// getter) into the published definition (plain field data + flowPayload). Deriving flowPayload from
// the same list that produces the TOML fields means the two cannot disagree.

/**
 * Field types Flow accepts on a trigger (shopify-platform.md §3, from the CLI's validation).
 * `number_integer` is deliberately absent: Flow rejects it on triggers.
 */
export const FLOW_TRIGGER_FIELD_TYPES = [
  "single_line_text_field",
  "number_decimal",
  "boolean",
  "email",
  "url",
] as const;
export type FlowTriggerFieldType = (typeof FLOW_TRIGGER_FIELD_TYPES)[number];

/** Always the first field: Flow then gives the workflow the customer object (`customer_id`). */
export interface CustomerReferenceField {
  readonly type: "customer_reference";
}

export interface FlowTriggerValueField {
  /** Letters and spaces only (/^[a-zA-Z\s]*$/), e.g. "Points balance"; final once deployed. */
  readonly key: string;
  readonly type: FlowTriggerFieldType;
  readonly description: string;
}

export type FlowTriggerField = CustomerReferenceField | FlowTriggerValueField;

/** The JSON `payload` argument of `flowTriggerReceive(handle, payload)`. */
export type FlowTriggerPayload = { customer_id: number } & {
  [key: string]: string | number | boolean;
};

interface FieldSpecBase {
  readonly key: string;
  readonly description: string;
}

/**
 * A field plus how to read its value. Only text may be null (sent as ""); numbers, booleans,
 * emails and URLs must always have a value, so every declared key is always in the Flow payload
 * and a workflow condition never meets a missing field.
 */
export type FlowFieldSpec<P> =
  | (FieldSpecBase & {
      readonly type: "single_line_text_field";
      readonly value: (payload: P, snapshot: MemberSnapshot) => string | null;
    })
  | (FieldSpecBase & {
      readonly type: "number_decimal";
      readonly value: (payload: P, snapshot: MemberSnapshot) => number;
    })
  | (FieldSpecBase & {
      readonly type: "boolean";
      readonly value: (payload: P, snapshot: MemberSnapshot) => boolean;
    })
  | (FieldSpecBase & {
      readonly type: "email" | "url";
      readonly value: (payload: P, snapshot: MemberSnapshot) => string;
    });

export interface FlowTriggerSpec<P> {
  readonly handle: string;
  readonly name: string;
  readonly description: string;
  readonly fields: readonly FlowFieldSpec<P>[];
}

export interface FlowTriggerDefinition<P> {
  /** Extension handle: ≤ 30 chars, lowercase letters/digits/hyphens, immutable once deployed. */
  readonly handle: string;
  /** Exactly the catalog's "Flow trigger (name)" column. */
  readonly name: string;
  readonly description: string;
  readonly fields: readonly [CustomerReferenceField, ...FlowTriggerValueField[]];
  /**
   * The `payload` for flowTriggerReceive: `customer_id` (number) plus one entry per declared field,
   * always all of them; a null text value is sent as "" (Flow conditions test it with "is empty").
   * Method syntax on purpose: lets definitions with different payloads share one list type.
   */
  flowPayload(payload: P, snapshot: MemberSnapshot): FlowTriggerPayload;
}

/** Payload schemas are flat, strict objects (refinements allowed): see primitives.ts. */
export type PayloadSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

export interface EventDefinition<
  T extends string = string,
  S extends PayloadSchema = PayloadSchema,
> {
  /** Internal type string (catalog column "internal type"). */
  readonly type: T;
  readonly payload: S;
  /** Klaviyo metric name, exactly the catalog's "Klaviyo metric" column. */
  readonly klaviyoMetric: string;
  /** Null where the catalog's Flow column says "(none)". */
  readonly flowTrigger: FlowTriggerDefinition<z.output<S>> | null;
}

interface EventSpec<T extends string, S extends PayloadSchema> {
  readonly type: T;
  readonly payload: S;
  readonly klaviyoMetric: string;
  readonly flowTrigger: FlowTriggerSpec<z.output<S>> | null;
}

function buildFlowTrigger<P>(spec: FlowTriggerSpec<P>): FlowTriggerDefinition<P> {
  const fields = spec.fields.map(({ key, type, description }): FlowTriggerValueField => ({
    key,
    type,
    description,
  }));
  return {
    handle: spec.handle,
    name: spec.name,
    description: spec.description,
    fields: [{ type: "customer_reference" }, ...fields],
    flowPayload(payload, snapshot) {
      const out: FlowTriggerPayload = { customer_id: flowCustomerId(snapshot) };
      for (const field of spec.fields) {
        const value = field.value(payload, snapshot);
        if (typeof value === "number" && !Number.isFinite(value)) {
          throw new RangeError(
            `Flow field "${field.key}" of ${spec.handle} is not a finite number`,
          );
        }
        out[field.key] = value ?? "";
      }
      return out;
    },
  };
}

export function defineEvent<const T extends string, S extends PayloadSchema>(
  spec: EventSpec<T, S>,
): EventDefinition<T, S> {
  return {
    type: spec.type,
    payload: spec.payload,
    klaviyoMetric: spec.klaviyoMetric,
    flowTrigger: spec.flowTrigger === null ? null : buildFlowTrigger(spec.flowTrigger),
  };
}
