import { flowTriggers } from "../events";
import { FLOW_ACTIONS } from "../flow-actions/catalog";

// One example workflow per Flow trigger and action, for the admin's Flow page: merchants see what
// each one is for before they open the Flow builder. Keyed by extension handle; a test checks
// that every trigger and action in the catalogs has one.

export const TRIGGER_IDEAS: Record<string, string> = {
  "loyalty-member-activated":
    "Tag the customer “loyalty-member” and send a welcome email that explains how to earn.",
  "loyalty-account-registered":
    "When Welcome bonus points is above 0, email the customer that the bonus is waiting.",
  "loyalty-points-added":
    "When Source is “purchase” and Points balance passes 500, email that a reward is within reach.",
  "loyalty-points-subtracted":
    "When Source is “order_refund”, add an internal note to the customer for customer service.",
  "loyalty-points-expiring":
    "When Days left is 7, email a reminder with the points expiring and the Expiry date.",
  "loyalty-points-expired":
    "Send a win-back email with a small discount to customers whose points just expired.",
  "loyalty-tier-updated":
    "When Change is “spending_upgrade” and Current tier is Gold, tag the customer “vip-gold” and notify staff.",
  "loyalty-reward-issued": "Email the customer the reward Code and when it Expires at.",
  "loyalty-birth-month-captured":
    "When First time is true, thank the customer and tell them about the birthday gift.",
  "loyalty-birth-month-entered":
    "Send a birthday email with the Reward code, or the Points awarded if there is no reward.",
  "loyalty-customer-merged":
    "Notify customer service that two accounts were combined, with the Combined points balance.",
  "loyalty-reward-expiring": "When Days left is 3, remind the customer to use the reward Code.",
  "loyalty-referral-accepted":
    "Send the invited friend their Reward code with the Advocate name in the greeting.",
  "loyalty-referral-completed":
    "Thank the advocate: tell them Friend name ordered and what they earned.",
  "loyalty-store-credit-credited":
    "Email the customer the Formatted amount and Formatted balance of their store credit.",
  "loyalty-reward-used":
    "Tag the customer “reward-redeemer” and add the Order name to a Google Sheet of redemptions.",
  "loyalty-reward-expired":
    "When Reason is “expired”, send a win-back email offering a smaller reward.",
  "loyalty-referral-sent": "Tag the customer “advocate” so the team can thank active referrers.",
  "loyalty-store-credit-debited":
    "When Source is “order”, email the customer their Formatted balance after the purchase.",
  "loyalty-store-credit-expiring":
    "When Days left is 7, remind the customer to spend the Formatted amount before it Expires at.",
};

export const ACTION_IDEAS: Record<string, string> = {
  "loyalty-add-points":
    "When a customer leaves a product review (a review app's trigger), add 50 points.",
  "loyalty-subtract-points":
    "When an order is cancelled by staff for fraud, subtract the points it earned.",
  "loyalty-set-vip-tier":
    "When a customer is tagged “wholesale”, set their VIP tier to Gold, locked until year end.",
  "loyalty-set-birthday":
    "When a customer fills in the birthday field of a form app, store the month and day.",
  "loyalty-grant-reward":
    "When a customer's first order is delivered, grant a “Free shipping” reward.",
  "loyalty-custom-action-points":
    "When a review app reports a new review, add the points of “Leave a product review”, priced in Bonuses & birthdays (e.g. 25 points, at most 3 times a month).",
};

export interface FlowCatalogEntry {
  handle: string;
  name: string;
  description: string;
  /** The fields a merchant can use in conditions and messages (triggers) or fill in (actions). */
  fields: string[];
  idea: string | null;
}

/** The app's Flow triggers and actions with an example workflow each, in catalog order. */
export function flowCatalog(): { triggers: FlowCatalogEntry[]; actions: FlowCatalogEntry[] } {
  return {
    triggers: flowTriggers().map(({ trigger }) => ({
      handle: trigger.handle,
      name: trigger.name,
      description: trigger.description,
      fields: trigger.fields.flatMap((field) => ("key" in field ? [field.key] : [])),
      idea: TRIGGER_IDEAS[trigger.handle] ?? null,
    })),
    actions: FLOW_ACTIONS.map((action) => ({
      handle: action.handle,
      name: action.name,
      description: action.description,
      fields: action.fields.map((field) => field.name),
      idea: ACTION_IDEAS[action.handle] ?? null,
    })),
  };
}
