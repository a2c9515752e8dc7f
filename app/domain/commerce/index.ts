// Commerce events (ADR 0071): order and storefront facts for Klaviyo and Omnisend, outside the
// loyalty catalog.
export type {
  CommerceContact,
  CommerceFact,
  CommerceKind,
  OrderEventPayload,
  OrderFact,
  StorefrontPayload,
  StorefrontProduct,
} from "./facts";
export { COMMERCE_KINDS, commerceType, isCommerceType } from "./facts";
export type { ParsedOrder, RefundSeen } from "./orders";
export {
  cancelledOrderFacts,
  CommerceOrderPayload,
  fulfilledOrderFacts,
  orderContact,
  orderFact,
  placedOrderFacts,
  refundAmount,
  refundedOrderFacts,
} from "./orders";
export type { PixelBucket } from "./pixel";
export {
  MAX_PIXEL_BODY_BYTES,
  parsePixelBody,
  PIXEL_LIMITS,
  PixelEventBody,
  pixelFact,
  pixelRateKey,
  pixelVerdict,
  pixelWindowStart,
} from "./pixel";
export type { OmnisendCommerceKind, StoredCommerceEvent } from "./platforms";
export {
  commerceDestinations,
  commerceKind,
  KLAVIYO_COMMERCE_METRICS,
  klaviyoCommerceEvent,
  OMNISEND_COMMERCE_EVENTS,
  OMNISEND_COMMERCE_ORIGIN,
  omnisendCommerceEvent,
} from "./platforms";
