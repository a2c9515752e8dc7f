import type { OrderForEarning, RefundForClawback } from "~/domain/earning/index";
import type { ProgramConfig } from "~/domain/program/index";

/** One paid order as its points need it. */
export interface OrderToValue {
  orderId: bigint;
  orderName: string | null;
  earning: OrderForEarning;
  /** Shopify's updated_at of the stored version (an edit's key). */
  orderVersion: string | null;
  refunds: RefundForClawback[];
  cancelled: boolean;
  /** False for a past order imported for tier spend only: it earns nothing (issue 18). */
  earnsPoints: boolean;
  /**
   * When the order's facts happened, for imported history: its entries and events are dated
   * then (issue 18). Live facts are dated when the app learns them.
   */
  datedAt?: { paid: Date; refunds: ReadonlyMap<string, Date> };
}

export interface ValuingRules {
  /** The program in force, for an order's first earn. */
  config: ProgramConfig;
  version: number;
  /**
   * The multiplier of the tier the order was paid in, in the rules it is valued under (ADR 0054);
   * undefined when the replay does not reach the order (paid before the member's checkpoint).
   */
  multiplierFor: (rules: ProgramConfig) => number | undefined;
  now: Date;
}

export function orderKeys(orderId: bigint) {
  const restatePrefix = `order:${orderId}:restate:`;
  return {
    earn: `order:${orderId}:earn`,
    edit: (version: string) => `order:${orderId}:edit:${version}`,
    refund: (refundId: string) => `order:${orderId}:refund:${refundId}`,
    cancel: `order:${orderId}:cancel`,
    restatePrefix,
    restate: (n: number) => `${restatePrefix}${n}`,
  };
}
