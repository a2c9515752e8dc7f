// Public surface of the loyalty event catalog (docs/event-catalog.md in code).
export type {
  AnyEventDefinition,
  EventDefinitionOf,
  FlowTriggerEntry,
  LoyaltyEventType,
  PayloadOf,
} from "./catalog";
export {
  EVENT_TYPES,
  eventDefinition,
  flowTriggers,
  isLoyaltyEventType,
  klaviyoMetrics,
} from "./catalog";
export type {
  CustomerReferenceField,
  EventDefinition,
  FlowTriggerDefinition,
  FlowTriggerField,
  FlowTriggerFieldType,
  FlowTriggerPayload,
  FlowTriggerValueField,
} from "./definition";
export { FLOW_TRIGGER_FIELD_TYPES } from "./definition";
export { EXAMPLE_PAYLOADS, EXAMPLE_SNAPSHOT, exampleLoyaltyEvent } from "./examples";
export type { CatalogEnum } from "./enums";
export { catalogEnums } from "./enums";
export type { FlowTriggerRequest } from "./flow";
export { flowTriggerRequest } from "./flow";
export type { KlaviyoEventProperties, KlaviyoPropertyValue } from "./klaviyo";
export { klaviyoEventProperties, MEMBER_PROPERTY_PREFIX } from "./klaviyo";
export type {
  AnyLoyaltyEvent,
  LoyaltyEvent,
  LoyaltyEventInput,
  StoredLoyaltyEvent,
} from "./loyalty-event";
export {
  createLoyaltyEvent,
  InvalidLoyaltyEventError,
  parseLoyaltyEvent,
  parseStoredLoyaltyEvent,
} from "./loyalty-event";
export { flowCustomerId, MemberSnapshot } from "./member-snapshot";
export { MEMBER_SOURCES, type MemberSource } from "./member-events";
export { POINTS_ADDED_SOURCES, POINTS_SUBTRACTED_SOURCES } from "./points-events";
export { REWARD_EXPIRED_REASONS, REWARD_ISSUED_SOURCES, REWARD_TYPES } from "./reward-events";
export { STORE_CREDIT_CREDITED_SOURCES, STORE_CREDIT_DEBITED_SOURCES } from "./store-credit-events";
export { TIER_CHANGE_REASONS, TIER_CHANGES } from "./tier-events";
