// Omnisend mapping (catalog §1 events, §4 properties as contact custom properties): pure, no I/O.
export type {
  OmnisendContactUpdate,
  OmnisendCustomProperties,
  OmnisendIdentity,
  OmnisendPropertyValue,
} from "./contact";
export { contactUpdate, omnisendCustomProperties, omnisendIdentity } from "./contact";
export type { OmnisendEvent } from "./event";
export { OMNISEND_ORIGIN, omnisendEvent, omnisendEventName } from "./event";
