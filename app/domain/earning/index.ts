export { earnForOrder } from "./earn";
export { goodsSpendMinor, refundedGoodsMinor } from "./spend";
export type { EarnResult, OrderForEarning, OrderLineForEarning } from "./earn";
export {
  adjustmentForEdit,
  clawbackForRefund,
  compareRefundIds,
  cumulativeClawback,
  planClawbacks,
  reversalForCancellation,
} from "./clawback";
export type { RefundForClawback } from "./clawback";
export { EarnSnapshotSchema } from "./snapshot";
export type { EarnSnapshot, EarnSnapshotLine } from "./snapshot";
export { EarningInputError } from "./errors";
export { minorUnitsPerUnit } from "./currency";
export { allocateProportionally, divideRounded } from "./rounding";
