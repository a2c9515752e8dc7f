import type { LoyaltyEventType, PayloadOf } from "./catalog";
import type { AnyLoyaltyEvent } from "./loyalty-event";
import { parseLoyaltyEvent } from "./loyalty-event";
import type { MemberSnapshot } from "./member-snapshot";

// One realistic, valid payload per event type. Reused by the Klaviyo stand-in bootstrap (seed 003:
// "one sample event per metric" so merchants can build flows before real activity) and by Flow
// extension generation; the tests prove each one parses. Fictional people, ids and codes only.

export const EXAMPLE_SNAPSHOT: MemberSnapshot = {
  customer_id: "7428301234567",
  email: "jane.doe@example.com",
  phone: "+15555550123",
  first_name: "Jane",
  last_name: "Doe",
  points_balance: 1520,
  store_credit_balance_minor: 3685,
  store_credit_currency: "USD",
  vip_tier: "Gold",
  lifetime_points_earned: 2400,
  lifetime_points_spent: 880,
};

export const EXAMPLE_PAYLOADS: { readonly [T in LoyaltyEventType]: PayloadOf<T> } = {
  "member.activated": {
    activated_at: "2025-03-01T09:30:00Z",
    account_registered: false,
    source: "customer_created",
  },
  "member.account_registered": { welcome_bonus_points: 100 },
  "points.added": {
    points: 50,
    source: "purchase",
    order_id: "5829104345678",
    order_name: "#1001",
    note: null,
  },
  "points.subtracted": {
    points: 500,
    source: "reward_redemption",
    order_id: null,
    order_name: null,
    note: null,
  },
  "points.expiring": { points_expiring: 200, expiry_date: "2025-04-30", days_left: 30 },
  "points.expired": { points_expired: 200, last_activity_date: "2024-04-30" },
  "tier.updated": {
    change: "spending_upgrade",
    reason: "spend",
    previous_tier: "Silver",
    current_tier: "Gold",
    entry_date: "2025-03-14",
    locked_until: null,
    expires_at: "2026-03-14T00:00:00Z",
  },
  "reward.issued": {
    reward_id: "rwd_01HQ3K7Z",
    reward_name: "$5 off",
    reward_type: "discount_code",
    source: "points_redemption",
    code: "LOYAL-5OFF-7QX2",
    value_minor: 500,
    value_percentage: null,
    currency: "USD",
    value_formatted: "$5.00 off",
    expires_at: "2025-06-30T23:59:59Z",
    points_spent: 500,
  },
  "birth_month.captured": { birth_month: 7, birth_day: 14, previous_birth_month: null },
  "birth_month.entered": {
    birth_month: 7,
    birth_day: 14,
    year: 2025,
    points_awarded: 200,
    reward_name: "Birthday 10% off",
    reward_code: "BDAY-10-K2M9",
    reward_expires_at: "2025-07-31T23:59:59Z",
  },
  "customer.merged": {
    kept_customer_id: "7428301234567",
    merged_customer_id: "7428309876543",
    merged_points_balance: 300,
    combined_points_balance: 1520,
    current_tier: "Gold",
  },
  "reward.expiring": {
    reward_id: "rwd_01HQ3K7Z",
    reward_name: "$5 off",
    reward_type: "discount_code",
    code: "LOYAL-5OFF-7QX2",
    value_formatted: "$5.00 off",
    expires_at: "2025-06-30T23:59:59Z",
    days_left: 7,
  },
  "reward.used": {
    reward_id: "rwd_01HQ3K7Z",
    reward_name: "$5 off",
    reward_type: "discount_code",
    code: "LOYAL-5OFF-7QX2",
    order_id: "5829104345999",
    order_name: "#1002",
  },
  "reward.expired": {
    reward_id: "rwd_01HQ3K7Z",
    reward_name: "$5 off",
    reward_type: "discount_code",
    code: "LOYAL-5OFF-7QX2",
    reason: "expired",
  },
  "referral.sent": {
    referral_code: "JANE-REF-42",
    referral_url: "https://example-store.com/pages/refer?code=JANE-REF-42",
    invitation_id: "5b7f2d0e-9a51-4c55-8f0e-2f3c1d9a7b64",
    advocate_first_name: "Jane",
    friend_reward_name: "$10 off your first order",
    friend_reward_value_formatted: "$10.00 off",
  },
  "referral.accepted": {
    advocate_customer_id: "7428305550001",
    advocate_name: "Alex Smith",
    referral_code: "ALEX-REF-17",
    reward_name: "$10 off your first order",
    reward_code: "FRIEND-10-P8L3",
    reward_value_formatted: "$10.00 off",
    reward_expires_at: "2025-05-31T23:59:59Z",
  },
  "referral.completed": {
    friend_customer_id: "7428306660002",
    friend_name: "Sam Lee",
    referral_code: "JANE-REF-42",
    order_id: "5829104346123",
    order_name: "#1003",
    points_awarded: 250,
    reward_name: "$10 off",
    reward_code: "LOYAL-7K2Q-9ZTD",
    reward_value_formatted: "$10.00",
    friend_reward_name: "$5 off your first order",
    friend_reward_code: "LOYAL-4HXA-2MPE",
  },
  "store_credit.credited": {
    amount_minor: 1000,
    currency: "USD",
    amount_formatted: "$10.00",
    symbol: "$",
    balance_minor: 3685,
    balance_formatted: "$36.85",
    source: "cashback",
    expires_at: null,
  },
  "store_credit.debited": {
    amount_minor: 1500,
    currency: "USD",
    amount_formatted: "$15.00",
    symbol: "$",
    balance_minor: 2185,
    balance_formatted: "$21.85",
    order_id: "5829104346456",
    source: "order",
  },
  "store_credit.expiring": {
    amount_minor: 3685,
    currency: "USD",
    amount_formatted: "$36.85",
    symbol: "$",
    expires_at: "2025-03-05T03:07:00Z",
    remaining_days: 1,
  },
};

/**
 * A complete, validated example event (e.g. the Klaviyo bootstrap's sample event per metric).
 * Ids and time are passed in: domain code generates no randomness and reads no clock.
 */
export function exampleLoyaltyEvent(
  type: LoyaltyEventType,
  envelope: { id: string; shopId: string; occurredAt: string },
): AnyLoyaltyEvent {
  return parseLoyaltyEvent({
    ...envelope,
    type,
    customerId: EXAMPLE_SNAPSHOT.customer_id,
    payload: EXAMPLE_PAYLOADS[type],
    snapshot: EXAMPLE_SNAPSHOT,
  });
}
