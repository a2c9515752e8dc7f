import type { z } from "zod";
import type { EventDefinition, FlowTriggerDefinition } from "./definition";
import {
  birthMonthCaptured,
  birthMonthEntered,
  customerMerged,
  memberAccountRegistered,
  memberActivated,
} from "./member-events";
import { pointsAdded, pointsExpired, pointsExpiring, pointsSubtracted } from "./points-events";
import { referralAccepted, referralCompleted, referralSent } from "./referral-events";
import { rewardExpired, rewardExpiring, rewardIssued, rewardUsed } from "./reward-events";
import {
  storeCreditCredited,
  storeCreditDebited,
  storeCreditExpiring,
} from "./store-credit-events";
import { tierUpdated } from "./tier-events";

// THE code-level source of truth for docs/event-catalog.md §1: one entry per row, in the doc's
// order. catalog-doc.test.ts parses the doc and fails on any difference in types, Flow trigger
// names, Klaviyo metrics or enum values. Names here are public and final once shipped.

const DEFINITIONS = {
  "member.activated": memberActivated,
  "member.account_registered": memberAccountRegistered,
  "points.added": pointsAdded,
  "points.subtracted": pointsSubtracted,
  "points.expiring": pointsExpiring,
  "points.expired": pointsExpired,
  "tier.updated": tierUpdated,
  "reward.issued": rewardIssued,
  "birth_month.captured": birthMonthCaptured,
  "birth_month.entered": birthMonthEntered,
  "customer.merged": customerMerged,
  "reward.expiring": rewardExpiring,
  "reward.used": rewardUsed,
  "reward.expired": rewardExpired,
  "referral.sent": referralSent,
  "referral.accepted": referralAccepted,
  "referral.completed": referralCompleted,
  "store_credit.credited": storeCreditCredited,
  "store_credit.debited": storeCreditDebited,
  "store_credit.expiring": storeCreditExpiring,
} as const satisfies Record<string, EventDefinition>;

type Definitions = typeof DEFINITIONS;

// Compile-time guard: every key equals its definition's `type` (a typo fails `tsc`).
type KeysMatchTypes<D> = { [K in keyof D]: D[K] extends { readonly type: K } ? D[K] : never };
const _keysMatchTypes: KeysMatchTypes<Definitions> = DEFINITIONS;

export type LoyaltyEventType = keyof Definitions;

/** The definition (schema, metric, trigger) of one event type, precisely typed. */
export type EventDefinitionOf<T extends LoyaltyEventType> = Definitions[T];

/** The validated payload of event type T (the zod schema's output). */
export type PayloadOf<T extends LoyaltyEventType> = z.output<Definitions[T]["payload"]>;

/** Any catalog definition, for code that iterates over all of them. */
export type AnyEventDefinition = Definitions[LoyaltyEventType];

/** Every internal type, in catalog order. */
export const EVENT_TYPES = Object.keys(DEFINITIONS) as readonly LoyaltyEventType[];

export function isLoyaltyEventType(value: string): value is LoyaltyEventType {
  return Object.hasOwn(DEFINITIONS, value);
}

export function eventDefinition<T extends LoyaltyEventType>(type: T): EventDefinitionOf<T> {
  return DEFINITIONS[type];
}

/** A Flow trigger with the event type it fires for (TOML generation, firing). */
export type FlowTriggerEntry = {
  [T in LoyaltyEventType]: {
    readonly eventType: T;
    readonly trigger: FlowTriggerDefinition<PayloadOf<T>>;
  };
}[LoyaltyEventType];

/** The events that have a Flow trigger, in catalog order. */
export function flowTriggers(): FlowTriggerEntry[] {
  return EVENT_TYPES.flatMap((eventType) => {
    const trigger = DEFINITIONS[eventType].flowTrigger;
    // TS cannot correlate `eventType` with its own definition's trigger; DEFINITIONS guarantees it.
    return trigger === null ? [] : [{ eventType, trigger } as FlowTriggerEntry];
  });
}

/** Klaviyo metric name per event type, in catalog order (every event has one). */
export function klaviyoMetrics(): { eventType: LoyaltyEventType; metric: string }[] {
  return EVENT_TYPES.map((eventType) => ({
    eventType,
    metric: DEFINITIONS[eventType].klaviyoMetric,
  }));
}
