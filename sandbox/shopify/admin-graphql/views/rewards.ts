/** Discount codes and gift cards seen through the Admin GraphQL schema. */
import { paginate } from "../connection";
import type { AdminContext, View } from "../context";
import type { DiscountCodeRecord, GiftCardRecord } from "../state";
import { gid, moneyV2 } from "../values";
import { customerView } from "./commerce";
import { metafieldFields } from "./metafields";

function discountStatus(record: DiscountCodeRecord, now: Date) {
  if (record.endsAt && record.endsAt <= now) return "EXPIRED";
  return record.startsAt > now ? "SCHEDULED" : "ACTIVE";
}

function discountSummary(record: DiscountCodeRecord, currency: string): string {
  const value = record.value;
  if (value.type === "percentage")
    return `${Math.round(value.percentage * 10000) / 100}% off entire order`;
  if (value.type === "fixedAmount")
    return `${moneyV2(value.cents, currency).amount} ${currency} off entire order`;
  return "Free shipping on all products";
}

export function discountNodeView(ctx: AdminContext, record: DiscountCodeRecord): View {
  const id = gid("DiscountCodeNode", record.id);
  const currency = ctx.store.shop.currencyCode;
  const value = record.value;
  const summary = discountSummary(record, currency);
  const common: View = {
    title: record.title,
    status: discountStatus(record, ctx.now),
    summary,
    shortSummary: summary,
    startsAt: record.startsAt.toISOString(),
    endsAt: record.endsAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    usageLimit: record.usageLimit,
    asyncUsageCount: 0,
    appliesOncePerCustomer: record.appliesOncePerCustomer,
    combinesWith: { ...record.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
    hasTimelineComment: false,
    tags: [],
    minimumRequirement: null,
    recurringCycleLimit: null,
    codesCount: { count: 1, precision: "EXACT" },
    codes: (args: Record<string, unknown>) =>
      paginate(
        [record],
        args,
        (r) => r.redeemCodeId,
        (r) => ({
          __typename: "DiscountRedeemCode",
          id: gid("DiscountRedeemCode", r.redeemCodeId),
          code: r.code,
          asyncUsageCount: 0,
          createdBy: null,
        }),
      ),
    context:
      record.customers === "all"
        ? { __typename: "DiscountBuyerSelectionAll", all: "ALL" }
        : {
            __typename: "DiscountCustomers",
            customers: record.customers.flatMap((customerId) => {
              const customer = ctx.store.customers.get(customerId);
              return customer ? [customerView(ctx, customer)] : [];
            }),
          },
  };
  const codeDiscount: View =
    value.type === "freeShipping"
      ? {
          __typename: "DiscountCodeFreeShipping",
          ...common,
          discountClasses: ["SHIPPING"],
          appliesOnOneTimePurchase: true,
          appliesOnSubscription: false,
          maximumShippingPrice:
            value.maximumShippingPriceCents === null
              ? null
              : moneyV2(value.maximumShippingPriceCents, currency),
          destinationSelection: { __typename: "DiscountCountryAll", allCountries: true },
        }
      : {
          __typename: "DiscountCodeBasic",
          ...common,
          discountClasses: ["ORDER"],
          customerGets: {
            appliesOnOneTimePurchase: true,
            appliesOnSubscription: false,
            items: { __typename: "AllDiscountItems", allItems: true },
            value:
              value.type === "percentage"
                ? { __typename: "DiscountPercentage", percentage: value.percentage }
                : {
                    __typename: "DiscountAmount",
                    amount: moneyV2(value.cents, currency),
                    appliesOnEachItem: value.appliesOnEachItem,
                  },
          },
        };
  return {
    __typename: "DiscountCodeNode",
    id,
    codeDiscount,
    ...metafieldFields(ctx, id, () => discountNodeView(ctx, record)),
  };
}

export function giftCardView(ctx: AdminContext, record: GiftCardRecord): View {
  const customer = record.customerId ? ctx.store.customers.get(record.customerId) : undefined;
  const last4 = record.code.slice(-4);
  return {
    __typename: "GiftCard",
    id: gid("GiftCard", record.id),
    balance: moneyV2(record.balanceCents, record.currencyCode),
    initialValue: moneyV2(record.initialCents, record.currencyCode),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.createdAt.toISOString(),
    deactivatedAt: null,
    enabled: true,
    expiresOn: record.expiresOn,
    isRedeemable:
      record.balanceCents > 0 && (!record.expiresOn || record.expiresOn >= isoDate(ctx.now)),
    lastCharacters: last4,
    maskedCode: `•••• •••• •••• ${last4}`,
    note: record.note,
    customer: customer ? () => customerView(ctx, customer) : null,
    crossCurrencyRedemptionStrategy: "MARKET_FX",
    templateSuffix: null,
  };
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
