/**
 * What the Admin GraphQL stand-in writes: discount codes, store credit accounts, gift cards,
 * metafields and the Flow trigger log. It lives on the store as `store.adminApi` (see store.ts),
 * so tests and the sandbox read it from the same object that holds customers and orders. The
 * resolvers own Shopify's input rules (userErrors); this class only keeps records consistent.
 */
import { createHash } from "node:crypto";
import { BulkOperations } from "./bulk/operations";
import { FaultQueue, type InjectedFault } from "./faults";

export interface FlowTriggerCall {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: Date;
}

export type DiscountValue =
  | { type: "percentage"; percentage: number }
  | { type: "fixedAmount"; cents: number; appliesOnEachItem: boolean }
  | { type: "freeShipping"; maximumShippingPriceCents: number | null };

export interface DiscountCodeRecord {
  /** DiscountCodeNode id. */
  id: number;
  /** DiscountRedeemCode id. */
  redeemCodeId: number;
  kind: "basic" | "freeShipping";
  code: string;
  title: string;
  value: DiscountValue;
  /** What the code discounts: everything, or listed products/variants (basic codes only). */
  items?: "all" | { productIds: number[]; variantIds: number[] };
  /** Customer ids allowed to use the code, or "all". */
  customers: number[] | "all";
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  createdAt: Date;
  updatedAt: Date;
}

export interface StoreCreditTransactionRecord {
  id: number;
  kind: "credit" | "debit";
  cents: number;
  balanceAfterCents: number;
  createdAt: Date;
  /** Credits only. */
  expiresAt: Date | null;
  /** Credits only: what debits have not used yet. */
  remainingCents: number;
}

export interface StoreCreditAccountRecord {
  id: number;
  customerId: number;
  currencyCode: string;
  transactions: StoreCreditTransactionRecord[];
}

export interface GiftCardRecord {
  id: number;
  code: string;
  initialCents: number;
  balanceCents: number;
  currencyCode: string;
  customerId: number | null;
  expiresOn: string | null;
  note: string | null;
  createdAt: Date;
}

export interface MetafieldRecord {
  id: number;
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: Date;
  updatedAt: Date;
}

export class AdminApiState {
  readonly flowTriggers: FlowTriggerCall[] = [];
  readonly discountCodes = new Map<number, DiscountCodeRecord>();
  readonly storeCreditAccounts = new Map<number, StoreCreditAccountRecord>();
  readonly giftCards = new Map<number, GiftCardRecord>();
  /** By owner gid, then `namespace.key`. */
  readonly metafields = new Map<string, Map<string, MetafieldRecord>>();
  /** The app's web pixel on this shop (one per app), once webPixelCreate made it. */
  webPixel: { id: string; settings: Record<string, unknown> } | null = null;
  /** Failures the next matching requests get (see faults.ts). */
  readonly faults = new FaultQueue();
  /** Bulk operations and their result files (bulk/operations.ts). */
  readonly bulk: BulkOperations;
  /** Accounts by customer id: a history import reads the accounts of every customer. */
  private readonly accountsByCustomer = new Map<number, StoreCreditAccountRecord[]>();
  private indexedAccounts = 0;

  constructor(private readonly newId: () => number) {
    this.bulk = new BulkOperations(newId);
  }

  injectFault(fault: InjectedFault) {
    this.faults.inject(fault);
  }

  recordFlowTrigger(handle: string, payload: Record<string, unknown>, receivedAt: Date) {
    const call = { handle, payload: structuredClone(payload), receivedAt };
    this.flowTriggers.push(call);
    return call;
  }

  // Discount codes are unique per shop regardless of case, as at checkout.
  discountByCode(code: string): DiscountCodeRecord | undefined {
    const wanted = code.trim().toLowerCase();
    return [...this.discountCodes.values()].find((d) => d.code.toLowerCase() === wanted);
  }

  addDiscount(fields: Omit<DiscountCodeRecord, "id" | "redeemCodeId">): DiscountCodeRecord {
    if (this.discountByCode(fields.code)) throw new Error(`discount code ${fields.code} exists`);
    const record = { ...fields, id: this.newId(), redeemCodeId: this.newId() };
    this.discountCodes.set(record.id, record);
    return record;
  }

  deleteDiscount(id: number): boolean {
    return this.discountCodes.delete(id);
  }

  /** Ends the discount now, which is what "deactivate" does in Shopify admin. */
  deactivateDiscount(id: number, now: Date): DiscountCodeRecord | undefined {
    const record = this.discountCodes.get(id);
    if (!record) return undefined;
    if (!record.endsAt || record.endsAt > now) record.endsAt = now;
    record.updatedAt = now;
    return record;
  }

  storeCreditAccountFor(customerId: number, currencyCode: string) {
    return this.storeCreditAccountsOf(customerId).find((a) => a.currencyCode === currencyCode);
  }

  storeCreditAccountsOf(customerId: number): StoreCreditAccountRecord[] {
    return [...(this.accountIndex().get(customerId) ?? [])];
  }

  /** Rebuilt when `storeCreditAccounts` was changed directly rather than through `credit`. */
  private accountIndex() {
    if (this.indexedAccounts !== this.storeCreditAccounts.size) {
      this.accountsByCustomer.clear();
      for (const account of this.storeCreditAccounts.values()) {
        const list = this.accountsByCustomer.get(account.customerId) ?? [];
        this.accountsByCustomer.set(account.customerId, [...list, account]);
      }
      this.indexedAccounts = this.storeCreditAccounts.size;
    }
    return this.accountsByCustomer;
  }

  /** Balance at `now`: credits not yet used or expired. */
  storeCreditBalance(account: StoreCreditAccountRecord, now: Date): number {
    return account.transactions
      .filter((t) => t.kind === "credit" && (!t.expiresAt || t.expiresAt > now))
      .reduce((sum, t) => sum + t.remainingCents, 0);
  }

  /** Shopify creates one account per customer and currency on the first credit. */
  credit(
    account: StoreCreditAccountRecord | { customerId: number; currencyCode: string },
    cents: number,
    expiresAt: Date | null,
    now: Date,
  ): StoreCreditTransactionRecord {
    if (!(cents > 0)) throw new Error("credit must be positive");
    const target = "id" in account ? account : this.openAccount(account);
    const balanceAfterCents = this.storeCreditBalance(target, now) + cents;
    const tx: StoreCreditTransactionRecord = {
      id: this.newId(),
      kind: "credit",
      cents,
      balanceAfterCents,
      createdAt: now,
      expiresAt,
      remainingCents: cents,
    };
    target.transactions.push(tx);
    return tx;
  }

  /** Uses the credits that expire first; the caller checks the balance (INSUFFICIENT_FUNDS). */
  debit(account: StoreCreditAccountRecord, cents: number, now: Date): StoreCreditTransactionRecord {
    const balance = this.storeCreditBalance(account, now);
    if (!(cents > 0) || cents > balance) throw new Error(`cannot debit ${cents} of ${balance}`);
    const usable = account.transactions
      .filter(
        (t) => t.kind === "credit" && t.remainingCents > 0 && (!t.expiresAt || t.expiresAt > now),
      )
      .sort(
        (a, b) =>
          (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
          a.createdAt.getTime() - b.createdAt.getTime(),
      );
    let left = cents;
    for (const credit of usable) {
      const used = Math.min(left, credit.remainingCents);
      credit.remainingCents -= used;
      left -= used;
      if (left === 0) break;
    }
    const tx: StoreCreditTransactionRecord = {
      id: this.newId(),
      kind: "debit",
      cents,
      balanceAfterCents: balance - cents,
      createdAt: now,
      expiresAt: null,
      remainingCents: 0,
    };
    account.transactions.push(tx);
    return tx;
  }

  findStoreCreditTransaction(id: number) {
    for (const account of this.storeCreditAccounts.values()) {
      const transaction = account.transactions.find((t) => t.id === id);
      if (transaction) return { account, transaction };
    }
    return undefined;
  }

  private openAccount(owner: { customerId: number; currencyCode: string }) {
    const existing = this.storeCreditAccountFor(owner.customerId, owner.currencyCode);
    if (existing) return existing;
    const account: StoreCreditAccountRecord = { id: this.newId(), ...owner, transactions: [] };
    const index = this.accountIndex();
    this.storeCreditAccounts.set(account.id, account);
    index.set(owner.customerId, [...(index.get(owner.customerId) ?? []), account]);
    this.indexedAccounts += 1;
    return account;
  }

  // Gift card codes are not case sensitive (GiftCardCreateInput.code).
  giftCardByCode(code: string): GiftCardRecord | undefined {
    const wanted = code.toLowerCase();
    return [...this.giftCards.values()].find((g) => g.code.toLowerCase() === wanted);
  }

  addGiftCard(fields: Omit<GiftCardRecord, "id">): GiftCardRecord {
    if (this.giftCardByCode(fields.code)) throw new Error("gift card code exists");
    const record = { ...fields, id: this.newId() };
    this.giftCards.set(record.id, record);
    return record;
  }

  metafield(ownerId: string, namespace: string, key: string): MetafieldRecord | undefined {
    return this.metafields.get(ownerId)?.get(`${namespace}.${key}`);
  }

  metafieldsOf(ownerId: string): MetafieldRecord[] {
    return [...(this.metafields.get(ownerId)?.values() ?? [])];
  }

  setMetafield(
    fields: Pick<MetafieldRecord, "ownerId" | "namespace" | "key" | "type" | "value">,
    now: Date,
  ): MetafieldRecord {
    const owned = this.metafields.get(fields.ownerId) ?? new Map<string, MetafieldRecord>();
    this.metafields.set(fields.ownerId, owned);
    const existing = owned.get(`${fields.namespace}.${fields.key}`);
    const record: MetafieldRecord = existing
      ? { ...existing, type: fields.type, value: fields.value, updatedAt: now }
      : { ...fields, id: this.newId(), createdAt: now, updatedAt: now };
    owned.set(`${fields.namespace}.${fields.key}`, record);
    return record;
  }
}

/** The opaque digest `metafieldsSet` compares against `compareDigest`. */
export function metafieldDigest(record: Pick<MetafieldRecord, "type" | "value">): string {
  return createHash("sha256").update(`${record.type}\u0000${record.value}`).digest("hex");
}
