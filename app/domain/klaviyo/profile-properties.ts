import { formatIsoDate, localDate, type LocalDate } from "../calendar";
import type { KlaviyoPropertyValue } from "../events";
import { minorUnitsPerUnit } from "../earning/currency";
import { currencySymbol, formatMoney } from "../money";

/** Catalog §4's default prefix; a shop can choose another (KlaviyoConnection.propertyPrefix). */
export const DEFAULT_PROPERTY_PREFIX = "loyalty_";

/** A reward code the member can still use at checkout (issued, not used, expired or voided). */
export type ReadyReward = {
  code: string;
  name: string;
  /** As the shopper reads it ("$5.00 off", "10% off"), fixed when the reward was issued. */
  valueFormatted: string;
  expiresAt: Date | null;
};

/** Everything catalog §4 exposes about one member, gathered by the service. Money in minor units. */
export type ProfileFacts = {
  memberSince: Date;
  accountRegistered: boolean;
  pointsBalance: number;
  lifetimePointsEarned: number;
  lifetimePointsSpent: number;
  tierName: string | null;
  tierEnteredAt: Date | null;
  /**
   * When the tier drops if nothing changes (no order, refund or points): the first period review
   * the spend known now no longer carries, not merely the current period's end (tierDropDate).
   */
  tierExpiresAt: Date | null;
  tierLockedUntil: Date | null;
  nextTierName: string | null;
  /** Money still to spend to reach the next tier; null when it is not reached by spend. */
  spendToNextTierMinor: number | null;
  pointsExpiry: { expiresOn: LocalDate; points: number } | null;
  lastActivityAt: Date | null;
  birthday: { month: number; day: number | null; year: number | null } | null;
  referralCode: string | null;
  referralUrl: string | null;
  rewardsAvailable: number;
  /** The codes among them, soonest to expire first (Stamped's discounts_ready_to_use). */
  readyRewards: ReadyReward[];
  lastRedeemedAt: Date | null;
  storeCredit: { balanceMinor: number; currency: string } | null;
};

export type ShopFormat = { currency: string; timeZone: string; locale: string };

/** The year a birthday without a year is stored under: a leap year, so 29 February stays valid. */
export const BIRTHDAY_PLACEHOLDER_YEAR = 2000;

/** One entry of `rewards_ready`: a code with what it gives and until when (a local date). */
export type ReadyRewardProperty = {
  code: string;
  name: string;
  value: string;
  expires_on: string | null;
};

export type ProfilePropertyValue = KlaviyoPropertyValue | string[] | ReadyRewardProperty[];
export type ProfileProperties = Record<string, ProfilePropertyValue>;

/**
 * The member's Klaviyo profile properties, every catalog §4 name present (null clears a property
 * in Klaviyo, so a value that goes away is removed there too). Dates are the shop's local dates as
 * YYYY-MM-DD, which Klaviyo recognises as dates for segments and date-triggered flows; money is a
 * decimal in the currency's major unit, as templates show it.
 */
export function profileProperties(
  facts: ProfileFacts,
  shop: ShopFormat,
  prefix = DEFAULT_PROPERTY_PREFIX,
): ProfileProperties {
  const day = (at: Date | null) => (at ? formatIsoDate(localDate(at, shop.timeZone)) : null);
  const major = (minor: number, currency: string) => minor / minorUnitsPerUnit(currency);
  const loyalty: ProfileProperties = {
    member: true,
    member_since: day(facts.memberSince),
    account_registered: facts.accountRegistered,
    points_balance: facts.pointsBalance,
    lifetime_points_earned: facts.lifetimePointsEarned,
    lifetime_points_spent: facts.lifetimePointsSpent,
    vip_tier: facts.tierName,
    vip_tier_entry_date: day(facts.tierEnteredAt),
    next_tier: facts.nextTierName,
    spend_to_next_tier:
      facts.spendToNextTierMinor === null ? null : major(facts.spendToNextTierMinor, shop.currency),
    tier_expiry_date: day(facts.tierExpiresAt),
    tier_locked_until: day(facts.tierLockedUntil),
    points_expiry_date: facts.pointsExpiry ? formatIsoDate(facts.pointsExpiry.expiresOn) : null,
    points_expiring: facts.pointsExpiry?.points ?? null,
    last_activity_date: day(facts.lastActivityAt),
    birthday: facts.birthday?.day
      ? formatIsoDate({
          year: facts.birthday.year ?? BIRTHDAY_PLACEHOLDER_YEAR,
          month: facts.birthday.month,
          day: facts.birthday.day,
        })
      : null,
    birth_month: facts.birthday?.month ?? null,
    referral_code: facts.referralCode,
    referral_url: facts.referralUrl,
    rewards_available: facts.rewardsAvailable,
    // Lists, never null: an empty list says "none" and a template's loop shows nothing.
    reward_codes: facts.readyRewards.map((r) => r.code),
    rewards_ready: facts.readyRewards.map((r) => ({
      code: r.code,
      name: r.name,
      value: r.valueFormatted,
      expires_on: day(r.expiresAt),
    })),
    last_redeemed_date: day(facts.lastRedeemedAt),
  };
  const properties: ProfileProperties = {};
  for (const [key, value] of Object.entries(loyalty)) properties[`${prefix}${key}`] = value;
  // Seed 003 names these without the loyalty prefix; they describe Shopify store credit.
  const credit = facts.storeCredit;
  properties.store_credit_balance = credit ? major(credit.balanceMinor, credit.currency) : null;
  properties.store_credit_currency = credit?.currency ?? null;
  properties.store_credit_symbol = credit ? currencySymbol(credit.currency, shop.locale) : null;
  properties.store_credit_formatted_balance = credit
    ? formatMoney(credit.balanceMinor, credit.currency, shop.locale)
    : null;
  return properties;
}

/** The property names catalog §4 defines, with a given prefix (for tests and the admin). */
export function profilePropertyNames(prefix = DEFAULT_PROPERTY_PREFIX): string[] {
  return Object.keys(profileProperties(EMPTY_FACTS, EXAMPLE_SHOP, prefix));
}

const EXAMPLE_SHOP: ShopFormat = { currency: "USD", timeZone: "UTC", locale: "en-US" };

const EMPTY_FACTS: ProfileFacts = {
  memberSince: new Date(0),
  accountRegistered: false,
  pointsBalance: 0,
  lifetimePointsEarned: 0,
  lifetimePointsSpent: 0,
  tierName: null,
  tierEnteredAt: null,
  tierExpiresAt: null,
  tierLockedUntil: null,
  nextTierName: null,
  spendToNextTierMinor: null,
  pointsExpiry: null,
  lastActivityAt: null,
  birthday: null,
  referralCode: null,
  referralUrl: null,
  rewardsAvailable: 0,
  readyRewards: [],
  lastRedeemedAt: null,
  storeCredit: null,
};

const DAY_MS = 86_400_000;

/**
 * What the sample profile sent on connect shows (seed 003; issue #21): a plausible Gold member with
 * every property filled, dated around `now` and in the shop's currency, so a merchant building a
 * template or a segment sees a value for each property. No real person.
 */
export function sampleProfileFacts(now: Date, currency: string, locale = "en-US"): ProfileFacts {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const expiry = at(45);
  return {
    memberSince: at(-320),
    accountRegistered: true,
    pointsBalance: 1250,
    lifetimePointsEarned: 2000,
    lifetimePointsSpent: 750,
    tierName: "Gold",
    tierEnteredAt: at(-120),
    tierExpiresAt: at(245),
    tierLockedUntil: at(60),
    nextTierName: "Platinum",
    spendToNextTierMinor: 125 * minorUnitsPerUnit(currency),
    pointsExpiry: {
      expiresOn: {
        year: expiry.getUTCFullYear(),
        month: expiry.getUTCMonth() + 1,
        day: expiry.getUTCDate(),
      },
      points: 200,
    },
    lastActivityAt: at(-12),
    birthday: { month: 6, day: 15, year: null },
    referralCode: "SAMPLE-JANE",
    referralUrl: "https://example.com/?ref=SAMPLE-JANE",
    rewardsAvailable: 2,
    readyRewards: [
      {
        code: "SAMPLE-5OFF-7QX2",
        name: "$5 off",
        valueFormatted: formatMoney(5 * minorUnitsPerUnit(currency), currency, locale) + " off",
        expiresAt: at(20),
      },
      {
        code: "SAMPLE-FREESHIP",
        name: "Free shipping",
        valueFormatted: "Free shipping",
        expiresAt: null,
      },
    ],
    lastRedeemedAt: at(-30),
    storeCredit: { balanceMinor: 25 * minorUnitsPerUnit(currency), currency },
  };
}
