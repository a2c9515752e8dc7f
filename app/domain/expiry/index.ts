// Points expiry: none | inactivity | per_lot, reminders before expiry, and FIFO spending of lots.
export type {
  ExpiryAssessment,
  ExpiryConfig,
  ExpiryMoment,
  ExpiryReminder,
  LotAmount,
  PointLot,
  UpcomingExpiry,
} from "./types";
export type { AssessExpiryInput } from "./assess";
export type { FifoResult } from "./fifo";
export { assessExpiry, expiryAfter, expiryKey, lotExpiry } from "./assess";
export { consumeFifo } from "./fifo";
