import { runAdminQuery, ShopifyGraphqlError, type AdminGraphql } from "./admin-client.server";

// The Admin API calls that turn a redemption into something usable at checkout. Each create
// answers with the new object's gid, or throws ShopifyRefusal (userErrors: nothing was created)
// or another error, which `creationOutcome` classifies. Docs:
// https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountCodeBasicCreate,
// .../discountCodeFreeShippingCreate, .../giftCardCreate. Store credit rewards use
// creditStoreCredit in store-credit.server.ts, shared with cashback.

const DISCOUNT_BASIC_CREATE = `#graphql
  mutation RewardDiscountBasicCreate($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const DISCOUNT_FREE_SHIPPING_CREATE = `#graphql
  mutation RewardDiscountFreeShippingCreate($input: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const DISCOUNT_BY_CODE = `#graphql
  query RewardDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id }
  }`;

const DISCOUNT_DELETE = `#graphql
  mutation RewardDiscountDelete($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors { field message code }
    }
  }`;

const DISCOUNT_DEACTIVATE = `#graphql
  mutation RewardDiscountDeactivate($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const GIFT_CARD_CREATE = `#graphql
  mutation RewardGiftCardCreate($input: GiftCardCreateInput!) {
    giftCardCreate(input: $input) {
      giftCard { id }
      userErrors { field message code }
    }
  }`;

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/** Shopify refused the input (userErrors): nothing was created. */
export class ShopifyRefusal extends Error {
  constructor(
    readonly operation: string,
    readonly userErrors: UserError[],
  ) {
    super(`${operation}: ${userErrors.map((e) => e.message).join("; ")}`);
    this.name = "ShopifyRefusal";
  }
}

/** No answer within the deadline: the request may still be applied by Shopify. */
export class ShopifyTimeout extends Error {
  constructor(
    readonly operation: string,
    ms: number,
  ) {
    super(`${operation}: no answer from Shopify within ${ms} ms`);
    this.name = "ShopifyTimeout";
  }
}

/**
 * "not_created" when Shopify certainly did not run the mutation (userErrors, throttled or any
 * GraphQL-level error, which Shopify returns before executing); "unknown" for timeouts, HTTP
 * errors and network failures, after which the object may exist.
 */
export function creationOutcome(error: unknown): "not_created" | "unknown" {
  if (error instanceof ShopifyRefusal || error instanceof ShopifyGraphqlError) return "not_created";
  return "unknown";
}

export interface AdminCall {
  admin: AdminGraphql;
  /** Per request; a slower answer is treated as unknown outcome. */
  timeoutMs: number;
}

export async function call<Data>(
  { admin, timeoutMs }: AdminCall,
  operation: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Data> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ShopifyTimeout(operation, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([runAdminQuery<Data>(admin, operation, query, variables), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export type Payload<K extends string, Node> = Record<
  K,
  ({ userErrors: UserError[] } & Node) | null
>;

export function created<Node>(
  operation: string,
  payload: ({ userErrors: UserError[] } & Node) | null,
) {
  if (!payload) throw new ShopifyRefusal(operation, [{ field: null, message: "no payload" }]);
  if (payload.userErrors.length > 0) throw new ShopifyRefusal(operation, payload.userErrors);
  return payload;
}

export interface DiscountCodeInput {
  kind: "basic" | "free_shipping";
  code: string;
  title: string;
  customerGid: string;
  endsAt: Date | null;
  startsAt: Date;
  minimumSubtotal: string | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  /** basic: exactly one of these. */
  percentage?: number;
  amount?: string;
  /** basic: restrict to one variant (free product); all items otherwise. */
  variantGid?: string | null;
  /** free_shipping: the highest shipping rate made free. */
  maximumShippingPrice?: string | null;
}

/** A code only this customer can use, once (usageLimit 1). Returns the DiscountCodeNode gid. */
export async function createDiscountCode(api: AdminCall, input: DiscountCodeInput) {
  const common = {
    code: input.code,
    title: input.title,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt?.toISOString() ?? null,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [input.customerGid] } },
    combinesWith: input.combinesWith,
    ...(input.minimumSubtotal
      ? {
          minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: input.minimumSubtotal } },
        }
      : {}),
  };
  if (input.kind === "free_shipping") {
    const operation = "RewardDiscountFreeShippingCreate";
    const data = await call<
      Payload<"discountCodeFreeShippingCreate", { codeDiscountNode: { id: string } | null }>
    >(api, operation, DISCOUNT_FREE_SHIPPING_CREATE, {
      input: {
        ...common,
        destination: { all: true },
        maximumShippingPrice: input.maximumShippingPrice ?? null,
      },
    });
    return nodeId(
      operation,
      created(operation, data.discountCodeFreeShippingCreate).codeDiscountNode,
    );
  }
  const operation = "RewardDiscountBasicCreate";
  const value =
    input.percentage !== undefined
      ? { percentage: input.percentage }
      : { discountAmount: { amount: input.amount, appliesOnEachItem: false } };
  const items = input.variantGid
    ? { products: { productVariantsToAdd: [input.variantGid] } }
    : { all: true };
  const data = await call<
    Payload<"discountCodeBasicCreate", { codeDiscountNode: { id: string } | null }>
  >(api, operation, DISCOUNT_BASIC_CREATE, {
    input: { ...common, customerGets: { value, items } },
  });
  return nodeId(operation, created(operation, data.discountCodeBasicCreate).codeDiscountNode);
}

/** The discount with this code, if Shopify has one (after an unknown outcome). */
export async function findDiscountByCode(api: AdminCall, code: string): Promise<string | null> {
  const data = await call<{ codeDiscountNodeByCode: { id: string } | null }>(
    api,
    "RewardDiscountByCode",
    DISCOUNT_BY_CODE,
    { code },
  );
  const node = data.codeDiscountNodeByCode;
  if (node === null) return null;
  // Anything but "no such code" or a node with an id is not an answer to trust with points.
  if (typeof node?.id !== "string") throw new Error("RewardDiscountByCode: unexpected answer");
  return node.id;
}

/** Deletes a code that must not be usable; a code that is already gone counts as deleted. */
export async function deleteDiscountCode(api: AdminCall, id: string): Promise<void> {
  const operation = "RewardDiscountDelete";
  const data = await call<Payload<"discountCodeDelete", { deletedCodeDiscountId: string | null }>>(
    api,
    operation,
    DISCOUNT_DELETE,
    { id },
  );
  const payload = data.discountCodeDelete;
  if (payload && payload.userErrors.length > 0 && payload.deletedCodeDiscountId === null) {
    // "does not exist" is the outcome we want; anything else is a refusal to surface.
    if (payload.userErrors.every((e) => /does not exist/i.test(e.message))) return;
    throw new ShopifyRefusal(operation, payload.userErrors);
  }
}

/** Ends a code now (kept in Shopify's history, unlike delete): voided or expired rewards. */
export async function deactivateDiscountCode(api: AdminCall, id: string): Promise<void> {
  const operation = "RewardDiscountDeactivate";
  const data = await call<
    Payload<"discountCodeDeactivate", { codeDiscountNode: { id: string } | null }>
  >(api, operation, DISCOUNT_DEACTIVATE, { id });
  created(operation, data.discountCodeDeactivate);
}

export async function createGiftCard(
  api: AdminCall,
  input: {
    code: string;
    customerGid: string;
    amount: string;
    currency: string;
    expiresOn: string | null;
    note: string;
  },
) {
  const operation = "RewardGiftCardCreate";
  const data = await call<Payload<"giftCardCreate", { giftCard: { id: string } | null }>>(
    api,
    operation,
    GIFT_CARD_CREATE,
    {
      input: {
        code: input.code,
        customerId: input.customerGid,
        initialAmount: { amount: input.amount, currencyCode: input.currency },
        expiresOn: input.expiresOn,
        note: input.note,
      },
    },
  );
  return nodeId(operation, created(operation, data.giftCardCreate).giftCard);
}

function nodeId(operation: string, node: { id: string } | null): string {
  if (!node) throw new ShopifyRefusal(operation, [{ field: null, message: "nothing was created" }]);
  return node.id;
}
