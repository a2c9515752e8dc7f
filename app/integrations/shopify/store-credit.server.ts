import { toMinorUnits } from "~/domain/money";
import { call, created, ShopifyRefusal, type AdminCall, type Payload } from "./rewards.server";

// Store credit on Shopify's store credit accounts: the one credit both cashback and store credit
// rewards use, the cashback reversal, and the balance read back when an answer was lost. Docs: https://shopify.dev/docs/api/admin-graphql/latest/mutations/storeCreditAccountCredit,
// .../storeCreditAccountDebit, .../objects/StoreCreditAccount. Errors are those of rewards.server.ts
// (ShopifyRefusal: userErrors, nothing ran; ShopifyGraphqlError: throttled, nothing ran; anything
// else: the outcome is unknown).

const STORE_CREDIT_CREDIT = `#graphql
  mutation StoreCreditCredit($id: ID!, $input: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $input) {
      storeCreditAccountTransaction {
        id
        balanceAfterTransaction { amount currencyCode }
      }
      userErrors { field message code }
    }
  }`;

const CASHBACK_DEBIT = `#graphql
  mutation CashbackStoreCreditDebit($id: ID!, $input: StoreCreditAccountDebitInput!) {
    storeCreditAccountDebit(id: $id, debitInput: $input) {
      storeCreditAccountTransaction {
        id
        balanceAfterTransaction { amount currencyCode }
      }
      userErrors { field message code }
    }
  }`;

const STORE_CREDIT_BALANCES = `#graphql
  query CustomerStoreCreditBalances($id: ID!) {
    customer(id: $id) {
      id
      storeCreditAccounts(first: 20) {
        nodes { id balance { amount currencyCode } }
      }
    }
  }`;

interface Money {
  amount: string;
  currencyCode: string;
}

type Transaction = { id: string; balanceAfterTransaction: Money } | null;

export interface StoreCreditResult {
  transactionId: string;
  balanceAfterMinor: number;
}

export interface StoreCreditInput {
  customerGid: string;
  /** Decimal string in the currency's major unit, e.g. "4.99". */
  amount: string;
  currency: string;
}

function result(operation: string, transaction: Transaction): StoreCreditResult {
  if (!transaction) {
    throw new ShopifyRefusal(operation, [{ field: null, message: "nothing was created" }]);
  }
  const after = transaction.balanceAfterTransaction;
  return {
    transactionId: transaction.id,
    balanceAfterMinor: toMinorUnits(after.amount, after.currencyCode),
  };
}

/**
 * Credits the customer's store credit account (Shopify opens one per currency on the first
 * credit); `expiresAt` null means the credit never expires. Used for cashback and for store credit
 * rewards alike, so both send the same document and classify its errors the same way.
 */
export async function creditStoreCredit(
  api: AdminCall,
  input: StoreCreditInput & { expiresAt: Date | null },
): Promise<StoreCreditResult> {
  const operation = "StoreCreditCredit";
  const data = await call<
    Payload<"storeCreditAccountCredit", { storeCreditAccountTransaction: Transaction }>
  >(api, operation, STORE_CREDIT_CREDIT, {
    id: input.customerGid,
    input: {
      creditAmount: { amount: input.amount, currencyCode: input.currency },
      expiresAt: input.expiresAt?.toISOString() ?? null,
    },
  });
  return result(
    operation,
    created(operation, data.storeCreditAccountCredit).storeCreditAccountTransaction,
  );
}

export async function debitCashback(
  api: AdminCall,
  input: StoreCreditInput,
): Promise<StoreCreditResult> {
  const operation = "CashbackStoreCreditDebit";
  const data = await call<
    Payload<"storeCreditAccountDebit", { storeCreditAccountTransaction: Transaction }>
  >(api, operation, CASHBACK_DEBIT, {
    id: input.customerGid,
    input: { debitAmount: { amount: input.amount, currencyCode: input.currency } },
  });
  return result(
    operation,
    created(operation, data.storeCreditAccountDebit).storeCreditAccountTransaction,
  );
}

/**
 * The customer's store credit balance in `currency` (minor units); 0 when no account in that
 * currency exists yet (Shopify opens one on the first credit). Throws when the customer is unknown.
 */
export async function storeCreditBalance(
  api: AdminCall,
  customerGid: string,
  currency: string,
): Promise<number> {
  const data = await call<{
    customer: {
      id: string;
      storeCreditAccounts: { nodes: { id: string; balance: Money }[] };
    } | null;
  }>(api, "CustomerStoreCreditBalances", STORE_CREDIT_BALANCES, { id: customerGid });
  if (!data.customer) throw new Error(`CustomerStoreCreditBalances: no customer ${customerGid}`);
  const account = data.customer.storeCreditAccounts.nodes.find(
    (a) => a.balance.currencyCode === currency,
  );
  return account ? toMinorUnits(account.balance.amount, currency) : 0;
}
