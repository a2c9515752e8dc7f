import { z } from "zod";
import { defineEvent } from "./definition";
import type { FlowFieldSpec } from "./definition";
import {
  currencyCode,
  formattedText,
  isoDateTime,
  minorToDecimal,
  moneyMinor,
  nonNegativeInt,
  shopifyNumericId,
} from "./primitives";

// Store credit events (catalog rows store_credit.*), modelled on seed 003 (DollarBack): its
// amount / currency / formattedAmount / symbol become amount_minor / currency / amount_formatted /
// symbol here (snake_case, integer minor units). The balance shares the amount's currency.

/**
 * store_credit.credited `source`: the catalog's "(reward, cashback, manual)", and `outside_app`
 * for credit issued in Shopify admin or by another app, found by the balance reconciliation
 * (issue 18).
 */
export const STORE_CREDIT_CREDITED_SOURCES = [
  "reward",
  "cashback",
  "manual",
  "outside_app",
] as const;

/**
 * store_credit.debited `source`: `cashback` (the app took back cashback of a refunded order),
 * `order` (spent at checkout), `manual` (taken by staff from the member page), `outside_app`
 * (removed in Shopify admin or by another app).
 */
export const STORE_CREDIT_DEBITED_SOURCES = ["cashback", "order", "manual", "outside_app"] as const;

const amount = {
  amount_minor: moneyMinor.positive(),
  currency: currencyCode,
  /** "$36.85" (seed 003 formattedAmount). */
  amount_formatted: formattedText,
  /** "$" (seed 003 symbol). */
  symbol: z.string().min(1).max(10),
};

const balance = {
  /** Store credit balance after the event, same currency as the amount. */
  balance_minor: moneyMinor,
  balance_formatted: formattedText,
};

type Amount = { amount_minor: number; currency: string; amount_formatted: string };
type Balance = { balance_minor: number; currency: string; balance_formatted: string };

// Flow gets decimal major units ("Amount > 10" reads as ten dollars), not minor units.
function amountFields<P extends Amount>(): FlowFieldSpec<P>[] {
  return [
    {
      key: "Amount",
      type: "number_decimal",
      description: "The amount in the currency's major unit, e.g. 36.85.",
      value: (p) => minorToDecimal(p.amount_minor, p.currency),
    },
    {
      key: "Currency",
      type: "single_line_text_field",
      description: "ISO 4217 currency code, e.g. USD.",
      value: (p) => p.currency,
    },
    {
      key: "Formatted amount",
      type: "single_line_text_field",
      description: "The amount for display, e.g. $36.85.",
      value: (p) => p.amount_formatted,
    },
  ];
}

function balanceFields<P extends Balance>(): FlowFieldSpec<P>[] {
  return [
    {
      key: "Balance",
      type: "number_decimal",
      description: "Store credit balance after this event, in the major unit.",
      value: (p) => minorToDecimal(p.balance_minor, p.currency),
    },
    {
      key: "Formatted balance",
      type: "single_line_text_field",
      description: "Store credit balance after this event, for display.",
      value: (p) => p.balance_formatted,
    },
  ];
}

export const storeCreditCredited = defineEvent({
  type: "store_credit.credited",
  payload: z
    .object({
      ...amount,
      ...balance,
      source: z.enum(STORE_CREDIT_CREDITED_SOURCES),
      /** Null when the credit never expires. */
      expires_at: isoDateTime.nullable(),
    })
    .strict(),
  // Seed 003's metric name, kept verbatim by the catalog (no "Loyalty" prefix).
  klaviyoMetric: "Store Credit Credited",
  flowTrigger: {
    handle: "loyalty-store-credit-credited",
    name: "Store credit credited",
    description: "Store credit was issued to a member.",
    fields: [
      ...amountFields(),
      ...balanceFields(),
      {
        key: "Source",
        type: "single_line_text_field",
        description: "Why it was issued: reward, cashback, manual or outside_app.",
        value: (p) => p.source,
      },
      {
        key: "Expires at",
        type: "single_line_text_field",
        description: "When the credit expires (ISO 8601); empty when it never does.",
        value: (p) => p.expires_at,
      },
    ],
  },
});

export const storeCreditDebited = defineEvent({
  type: "store_credit.debited",
  payload: z
    .object({
      ...amount,
      ...balance,
      /** The order it was spent on, or whose refund took cashback back; null outside an order. */
      order_id: shopifyNumericId.nullable(),
      source: z.enum(STORE_CREDIT_DEBITED_SOURCES),
    })
    .strict(),
  klaviyoMetric: "Store Credit Debited",
  flowTrigger: {
    handle: "loyalty-store-credit-debited",
    name: "Store credit debited",
    description: "A member's store credit was spent or taken back.",
    fields: [
      ...amountFields(),
      ...balanceFields(),
      {
        key: "Source",
        type: "single_line_text_field",
        description:
          "Why: order (spent at checkout), cashback (taken back with a refund), manual (by staff) or outside_app.",
        value: (p) => p.source,
      },
      {
        key: "Order ID",
        type: "single_line_text_field",
        description: "The Shopify order concerned (numeric id); empty outside an order.",
        value: (p) => p.order_id,
      },
    ],
  },
});

export const storeCreditExpiring = defineEvent({
  type: "store_credit.expiring",
  payload: z
    .object({
      ...amount,
      expires_at: isoDateTime,
      /** Seed 003 remainingDays. */
      remaining_days: nonNegativeInt,
    })
    .strict(),
  // Seed 003 calls it "Store Credit Expiry Threshold"; the catalog fixes this name.
  klaviyoMetric: "Store Credit Expiring",
  flowTrigger: {
    handle: "loyalty-store-credit-expiring",
    name: "Store credit expiring",
    description: "Some of a member's store credit will expire soon.",
    fields: [
      ...amountFields(),
      {
        key: "Expires at",
        type: "single_line_text_field",
        description: "When the credit expires (ISO 8601).",
        value: (p) => p.expires_at,
      },
      {
        key: "Days left",
        type: "number_decimal",
        description: "Days until the credit expires.",
        value: (p) => p.remaining_days,
      },
    ],
  },
});
