/**
 * storeCreditAccountCredit / storeCreditAccountDebit
 * (https://shopify.dev/docs/api/admin-graphql/latest/mutations/storecreditaccountcredit). `id` is
 * a store credit account or its owner (a customer); crediting a customer opens one account per
 * currency. Error messages are the descriptions of the error-code enums in the schema. The stand-in
 * supports the shop currency only (UNSUPPORTED_CURRENCY otherwise).
 */
import type { AdminContext, Resolver, UserError } from "../context";
import type { StoreCreditAccountRecord } from "../state";
import { storeCreditTransactionView } from "../views/index";
import { decimalToCents, isRecord, parseGid } from "../values";

const messages = {
  ACCOUNT_NOT_FOUND: "The store credit account could not be found.",
  OWNER_NOT_FOUND: "Owner does not exist.",
  NEGATIVE_OR_ZERO_AMOUNT_CREDIT:
    "A positive amount must be used to credit a store credit account.",
  NEGATIVE_OR_ZERO_AMOUNT_DEBIT: "A positive amount must be used to debit a store credit account.",
  MISMATCHING_CURRENCY:
    "The currency provided does not match the currency of the store credit account.",
  UNSUPPORTED_CURRENCY: "The currency provided is not currently supported.",
  EXPIRES_AT_IN_PAST: "The expiry date must be in the future.",
  INSUFFICIENT_FUNDS:
    "The store credit account does not have sufficient funds to satisfy the request.",
};

interface Target {
  account?: StoreCreditAccountRecord;
  customerId?: number;
  error?: UserError;
}

function target(ctx: AdminContext, id: unknown, currencyCode: string, opening: boolean): Target {
  const { type, id: numeric } = parseGid(id);
  if (type === "StoreCreditAccount") {
    const account = ctx.state.storeCreditAccounts.get(numeric);
    if (account) return { account };
    return {
      error: { field: ["id"], message: messages.ACCOUNT_NOT_FOUND, code: "ACCOUNT_NOT_FOUND" },
    };
  }
  if (type === "Customer" && ctx.store.customers.has(numeric)) {
    const account = ctx.state.storeCreditAccountFor(numeric, currencyCode);
    if (account || opening) return { account, customerId: numeric };
    return {
      error: { field: ["id"], message: messages.ACCOUNT_NOT_FOUND, code: "ACCOUNT_NOT_FOUND" },
    };
  }
  const code = opening ? "OWNER_NOT_FOUND" : "ACCOUNT_NOT_FOUND";
  return { error: { field: ["id"], message: messages[code], code } };
}

function money(input: unknown): { cents: number | null; currencyCode: string } {
  const value = isRecord(input) ? input : {};
  return {
    cents: decimalToCents(value.amount),
    currencyCode: typeof value.currencyCode === "string" ? value.currencyCode : "",
  };
}

export const storeCreditResolvers: Record<string, Resolver> = {
  "Mutation.storeCreditAccountCredit": (_source, args, ctx) => {
    const input = isRecord(args.creditInput) ? args.creditInput : {};
    const { cents, currencyCode } = money(input.creditAmount);
    const amountField = ["creditInput", "creditAmount", "amount"];
    const fail = (error: UserError) => ({
      storeCreditAccountTransaction: null,
      userErrors: [error],
    });
    const found = target(ctx, args.id, currencyCode, true);
    if (found.error) return fail(found.error);
    if (found.account && found.account.currencyCode !== currencyCode) {
      return fail({
        field: ["creditInput", "creditAmount", "currencyCode"],
        message: messages.MISMATCHING_CURRENCY,
        code: "MISMATCHING_CURRENCY",
      });
    }
    if (currencyCode !== ctx.store.shop.currencyCode) {
      return fail({
        field: ["creditInput", "creditAmount", "currencyCode"],
        message: messages.UNSUPPORTED_CURRENCY,
        code: "UNSUPPORTED_CURRENCY",
      });
    }
    if (cents === null || cents <= 0) {
      const code = "NEGATIVE_OR_ZERO_AMOUNT";
      return fail({ field: amountField, message: messages.NEGATIVE_OR_ZERO_AMOUNT_CREDIT, code });
    }
    const expiresAt = typeof input.expiresAt === "string" ? new Date(input.expiresAt) : null;
    if (expiresAt && !(expiresAt > ctx.now)) {
      return fail({
        field: ["creditInput", "expiresAt"],
        message: messages.EXPIRES_AT_IN_PAST,
        code: "EXPIRES_AT_IN_PAST",
      });
    }
    const owner = found.account ?? { customerId: found.customerId ?? 0, currencyCode };
    const tx = ctx.state.credit(owner, cents, expiresAt, ctx.now);
    const account = ctx.state.findStoreCreditTransaction(tx.id)?.account;
    if (!account) throw new Error("credited transaction has no account");
    return {
      storeCreditAccountTransaction: storeCreditTransactionView(ctx, account, tx),
      userErrors: [],
    };
  },

  "Mutation.storeCreditAccountDebit": (_source, args, ctx) => {
    const input = isRecord(args.debitInput) ? args.debitInput : {};
    const { cents, currencyCode } = money(input.debitAmount);
    const amountField = ["debitInput", "debitAmount", "amount"];
    const fail = (error: UserError) => ({
      storeCreditAccountTransaction: null,
      userErrors: [error],
    });
    const found = target(ctx, args.id, currencyCode, false);
    if (found.error || !found.account) {
      return fail(found.error ?? { field: ["id"], message: messages.ACCOUNT_NOT_FOUND });
    }
    const account = found.account;
    if (account.currencyCode !== currencyCode) {
      return fail({
        field: ["debitInput", "debitAmount", "currencyCode"],
        message: messages.MISMATCHING_CURRENCY,
        code: "MISMATCHING_CURRENCY",
      });
    }
    if (cents === null || cents <= 0) {
      const code = "NEGATIVE_OR_ZERO_AMOUNT";
      return fail({ field: amountField, message: messages.NEGATIVE_OR_ZERO_AMOUNT_DEBIT, code });
    }
    if (cents > ctx.state.storeCreditBalance(account, ctx.now)) {
      const code = "INSUFFICIENT_FUNDS";
      return fail({ field: amountField, message: messages.INSUFFICIENT_FUNDS, code });
    }
    const tx = ctx.state.debit(account, cents, ctx.now);
    return {
      storeCreditAccountTransaction: storeCreditTransactionView(ctx, account, tx),
      userErrors: [],
    };
  },
};
