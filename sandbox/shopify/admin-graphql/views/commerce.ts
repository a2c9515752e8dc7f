/**
 * Shop, customers, orders and store credit seen through the Admin GraphQL schema. Field names are
 * the schema's; a field not listed resolves to null when nullable and to a "not implemented" error
 * when not (see execute.ts), so an unimplemented field never returns made-up data.
 */
import type { SandboxCustomer, SandboxLineItem, SandboxOrder } from "../../store";
import { paginate } from "../connection";
import type { AdminContext, View } from "../context";
import type { StoreCreditAccountRecord, StoreCreditTransactionRecord } from "../state";
import { decimalToCents, gid, moneyFromRest, moneyV2 } from "../values";
import type { MoneyV2 } from "../values";
import { metafieldFields } from "./metafields";

const bag = (money: MoneyV2) => ({ shopMoney: money, presentmentMoney: money });

export function shopView(ctx: AdminContext): View {
  const shop = ctx.store.shop;
  return {
    __typename: "Shop",
    id: gid("Shop", shop.id),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    ianaTimezone: shop.ianaTimezone,
    billingAddress: {
      __typename: "ShopAddress",
      id: gid("ShopAddress", shop.id),
      countryCodeV2: shop.countryCode,
    },
    plan: {
      displayName: shop.plan,
      publicDisplayName: shop.plan,
      shopifyPlus: shop.plan === "Plus",
      partnerDevelopment: false,
    },
    ...metafieldFields(ctx, gid("Shop", shop.id), () => shopView(ctx)),
  };
}

export function customerView(ctx: AdminContext, customer: SandboxCustomer): View {
  const id = gid("Customer", customer.id);
  const orders = () => ctx.store.ordersOf(customer.id);
  const spentCents = () =>
    orders()
      .filter((o) => !o.cancelled_at)
      .reduce((sum, o) => sum + (decimalToCents(o.total_price) ?? 0), 0);
  const name = [customer.first_name, customer.last_name].filter(Boolean).join(" ");
  return {
    __typename: "Customer",
    id,
    legacyResourceId: String(customer.id),
    email: customer.email,
    defaultEmailAddress: customer.email
      ? { emailAddress: customer.email, validFormat: true }
      : null,
    firstName: customer.first_name,
    lastName: customer.last_name,
    displayName: name || customer.email || customer.phone || "",
    phone: customer.phone,
    state: customer.state.toUpperCase(),
    verifiedEmail: customer.verified_email,
    createdAt: customer.created_at,
    updatedAt: customer.updated_at,
    note: customer.note,
    tags: customer.tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    locale: "en",
    taxExempt: false,
    numberOfOrders: () => String(orders().length),
    amountSpent: () => moneyV2(spentCents(), ctx.store.shop.currencyCode),
    lastOrder: () => {
      const last = orders().at(-1);
      return last ? orderView(ctx, last) : null;
    },
    orders: (args: Record<string, unknown>) =>
      paginate(
        orders(),
        args,
        (o) => o.id,
        (o) => orderView(ctx, o),
      ),
    storeCreditAccounts: (args: Record<string, unknown>) =>
      paginate(
        ctx.state.storeCreditAccountsOf(customer.id),
        args,
        (a) => a.id,
        (a) => storeCreditAccountView(ctx, a),
      ),
    ...metafieldFields(ctx, id, () => customerView(ctx, customer)),
  };
}

function lineItemView(order: SandboxOrder, item: SandboxLineItem): View {
  const refunded = () =>
    order.refunds
      .flatMap((r) => r.refund_line_items)
      .filter((r) => r.line_item_id === item.id)
      .reduce((sum, r) => sum + r.quantity, 0);
  // Money and derived values are functions, built only when selected: a bulk export builds a
  // view for every line of every order.
  const money = (amount: string) => () => bag(moneyFromRest(amount, order.currency));
  const originalCents = () => (decimalToCents(item.price) ?? 0) * item.quantity;
  const discountCents = () => decimalToCents(item.total_discount) ?? 0;
  return {
    __typename: "LineItem",
    id: gid("LineItem", item.id),
    title: item.title,
    name: item.title,
    quantity: item.quantity,
    // Units an order edit removed are gone from currentQuantity like refunded ones.
    currentQuantity: () => item.quantity - refunded() - (item.removed_quantity ?? 0),
    refundableQuantity: () => item.quantity - refunded() - (item.removed_quantity ?? 0),
    product: () => ({ __typename: "Product", id: gid("Product", item.product_id) }),
    sku: item.sku,
    isGiftCard: item.gift_card,
    taxable: item.taxable,
    originalUnitPriceSet: money(item.price),
    originalTotalSet: () => bag(moneyV2(originalCents(), order.currency)),
    // Line-level discounts only: order-level discount allocations are not modelled.
    discountedTotalSet: () => bag(moneyV2(originalCents() - discountCents(), order.currency)),
    totalDiscountSet: money(item.total_discount),
  };
}

export function orderView(ctx: AdminContext, order: SandboxOrder): View {
  // Functions, built only when selected (see lineItemView).
  const money = (amount: string) => () => bag(moneyFromRest(amount, order.currency));
  const refundedCents = () =>
    order.refunds
      .flatMap((r) => r.transactions)
      .reduce((sum, t) => sum + (decimalToCents(t.amount) ?? 0), 0);
  const totalCents = () => decimalToCents(order.total_price) ?? 0;
  const customer = order.customer ? ctx.store.customers.get(order.customer.id) : undefined;
  return {
    __typename: "Order",
    id: order.admin_graphql_api_id,
    legacyResourceId: String(order.id),
    name: order.name,
    number: order.order_number - 1000,
    email: order.email,
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    processedAt: order.processed_at,
    cancelledAt: order.cancelled_at,
    cancelReason: order.cancel_reason ? order.cancel_reason.toUpperCase() : null,
    closed: false,
    test: order.test,
    currencyCode: order.currency,
    presentmentCurrencyCode: order.presentment_currency,
    displayFinancialStatus: order.financial_status.toUpperCase(),
    fullyPaid: order.financial_status !== "pending",
    unpaid: order.financial_status === "pending",
    tags: [],
    note: null,
    discountCode: order.discount_codes[0]?.code ?? null,
    discountCodes: () => order.discount_codes.map((d) => d.code),
    customer: customer ? () => customerView(ctx, customer) : null,
    subtotalPriceSet: money(order.subtotal_price),
    totalPriceSet: money(order.total_price),
    currentTotalPriceSet: () => bag(moneyV2(totalCents() - refundedCents(), order.currency)),
    totalRefundedSet: () => bag(moneyV2(refundedCents(), order.currency)),
    totalTaxSet: money(order.total_tax),
    totalDiscountsSet: money(order.total_discounts),
    totalShippingPriceSet: money(order.total_shipping_price_set.shop_money.amount),
    totalRefundedShippingSet: () =>
      bag(
        moneyV2(
          -order.refunds
            .flatMap((r) => r.order_adjustments ?? [])
            .reduce((sum, a) => sum + (decimalToCents(a.amount) ?? 0), 0),
          order.currency,
        ),
      ),
    lineItems: (args: Record<string, unknown>) =>
      paginate(
        order.line_items,
        args,
        (li) => li.id,
        (li) => lineItemView(order, li),
      ),
    refunds: () =>
      order.refunds.map((refund) => ({
        __typename: "Refund",
        id: gid("Refund", refund.id),
        legacyResourceId: String(refund.id),
        createdAt: refund.created_at,
        processedAt: refund.created_at,
        updatedAt: refund.created_at,
        note: refund.note,
        totalRefundedSet: bag(
          moneyV2(
            refund.transactions.reduce((sum, t) => sum + (decimalToCents(t.amount) ?? 0), 0),
            order.currency,
          ),
        ),
        refundLineItems: (args: Record<string, unknown>) =>
          paginate(
            refund.refund_line_items,
            args,
            (r) => r.id,
            (r) => {
              const item = order.line_items.find((li) => li.id === r.line_item_id)!;
              return {
                __typename: "RefundLineItem",
                id: gid("RefundLineItem", r.id),
                quantity: r.quantity,
                lineItem: lineItemView(order, item),
              };
            },
          ),
      })),
    ...metafieldFields(ctx, order.admin_graphql_api_id, () => orderView(ctx, order)),
  };
}

export function storeCreditAccountView(ctx: AdminContext, account: StoreCreditAccountRecord): View {
  return {
    __typename: "StoreCreditAccount",
    id: gid("StoreCreditAccount", account.id),
    balance: () => moneyV2(ctx.state.storeCreditBalance(account, ctx.now), account.currencyCode),
    owner: () => {
      const customer = ctx.store.customers.get(account.customerId);
      return customer ? customerView(ctx, customer) : null;
    },
    transactions: (args: Record<string, unknown>) =>
      paginate(
        account.transactions,
        args,
        (t) => t.id,
        (t) => storeCreditTransactionView(ctx, account, t),
      ),
  };
}

export function storeCreditTransactionView(
  ctx: AdminContext,
  account: StoreCreditAccountRecord,
  tx: StoreCreditTransactionRecord,
): View {
  const money = (cents: number) => moneyV2(cents, account.currencyCode);
  const typename =
    tx.kind === "credit"
      ? "StoreCreditAccountCreditTransaction"
      : "StoreCreditAccountDebitTransaction";
  return {
    __typename: typename,
    id: gid(typename, tx.id),
    account: () => storeCreditAccountView(ctx, account),
    amount: money(tx.kind === "credit" ? tx.cents : -tx.cents),
    balanceAfterTransaction: money(tx.balanceAfterCents),
    createdAt: tx.createdAt.toISOString(),
    event: "ADJUSTMENT",
    origin: null,
    ...(tx.kind === "credit"
      ? {
          expiresAt: tx.expiresAt?.toISOString() ?? null,
          remainingAmount: money(tx.remainingCents),
        }
      : {}),
  };
}
