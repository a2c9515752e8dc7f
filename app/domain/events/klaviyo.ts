import type { LoyaltyEventType, PayloadOf } from "./catalog";
import { eventDefinition } from "./catalog";
import type { MemberSnapshot } from "./member-snapshot";

/**
 * Prefix of the member snapshot's keys among Klaviyo event properties ("member_points_balance",
 * "member_vip_tier", ...). Payload keys never start with it (a test enforces this), so payload and
 * snapshot cannot collide. Public and final: merchants build segments and templates on these.
 */
export const MEMBER_PROPERTY_PREFIX = "member_";

export type KlaviyoPropertyValue = string | number | boolean | null;
export type KlaviyoEventProperties = Record<string, KlaviyoPropertyValue>;

function isScalar(value: unknown): value is KlaviyoPropertyValue {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  );
}

/**
 * The `properties` of the Klaviyo event: every payload key as-is (snake_case, in schema order),
 * then every snapshot key prefixed with MEMBER_PROPERTY_PREFIX. All values are top-level scalars
 * so Klaviyo can segment and filter on them; nulls are kept so every event of a metric has the
 * same property names (Klaviyo's flow/segment builders list properties from events they saw).
 */
export function klaviyoEventProperties<T extends LoyaltyEventType>(
  type: T,
  payload: PayloadOf<T>,
  snapshot: MemberSnapshot,
): KlaviyoEventProperties {
  const properties: KlaviyoEventProperties = {};
  const source: Record<string, unknown> = payload;
  for (const key of Object.keys(eventDefinition(type).payload.shape)) {
    const value = source[key];
    if (key.startsWith(MEMBER_PROPERTY_PREFIX) || !isScalar(value)) {
      throw new TypeError(`payload key "${key}" of ${type} cannot be a Klaviyo event property`);
    }
    properties[key] = value;
  }
  for (const [key, value] of Object.entries(snapshot)) {
    properties[`${MEMBER_PROPERTY_PREFIX}${key}`] = value;
  }
  return properties;
}
