// Klaviyo mapping (catalog §1 metrics, §4 profile properties): pure, no SDK, no I/O.
export type { EventBatch, ProfileEvents } from "./batches";
export {
  eventBytes,
  MAX_BULK_BYTES,
  MAX_EVENTS_PER_BULK,
  packEventBatches,
  propertiesJson,
  utf8Bytes,
} from "./batches";
export type { KlaviyoEvent } from "./event";
export { invitationOf, klaviyoEvent } from "./event";
export type { ProfileIdentity } from "./identity";
export { identityKey, profileIdentity } from "./identity";
export type {
  ProfileFacts,
  ProfileProperties,
  ProfilePropertyValue,
  ReadyReward,
  ReadyRewardProperty,
  ShopFormat,
} from "./profile-properties";
export {
  BIRTHDAY_PLACEHOLDER_YEAR,
  DEFAULT_PROPERTY_PREFIX,
  profileProperties,
  profilePropertyNames,
  sampleProfileFacts,
} from "./profile-properties";
export {
  belongsOnMemberList,
  listSyncDue,
  MEMBER_LIST_NAME,
  OFF_LIST_EMAIL_STATES,
} from "./list-sync";
export { currencySymbol, formatMoney } from "../money";
