/**
 * Code discounts: discountCodeBasicCreate, discountCodeFreeShippingCreate, discountCodeDelete and
 * discountCodeDeactivate. Input rules follow
 * https://shopify.dev/docs/api/admin-graphql/latest/input-objects/DiscountCodeBasicInput and
 * .../DiscountCustomerGetsValueInput (`percentage` is 0.0–1.0). Product/collection item
 * restrictions are stored but not resolvable yet (those fields answer "not implemented").
 */
import { GraphQLError } from "graphql";
import type { AdminContext, Resolver, UserError } from "../context";
import type { DiscountCodeRecord, DiscountValue } from "../state";
import { discountNodeView } from "../views/index";
import { decimalToCents, idOfType, isRecord, parseGid } from "../values";

type Fields = Omit<DiscountCodeRecord, "id" | "redeemCodeId" | "kind" | "value" | "items">;

function blank(value: unknown): boolean {
  return typeof value !== "string" || value.trim() === "";
}

function date(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** Customer ids from `context` (or the deprecated `customerSelection`); "all" for everyone. */
function buyers(
  ctx: AdminContext,
  input: Record<string, unknown>,
  prefix: string,
  errors: UserError[],
): number[] | "all" {
  const context = input.context ?? input.customerSelection;
  const key = input.context !== undefined ? "context" : "customerSelection";
  if (!isRecord(context)) {
    errors.push({ field: [prefix, "context"], message: "Context can't be blank", code: "BLANK" });
    return "all";
  }
  if (context.all === "ALL" || context.all === true) return "all";
  if (isRecord(context.customers)) {
    const add = Array.isArray(context.customers.add) ? context.customers.add : [];
    const ids: number[] = [];
    add.forEach((value, index) => {
      const id = idOfType(value, "Customer");
      if (id !== null && ctx.store.customers.has(id)) ids.push(id);
      else {
        errors.push({
          field: [prefix, key, "customers", "add", String(index)],
          message: "Customer does not exist",
          code: "INVALID",
        });
      }
    });
    return ids;
  }
  throw new GraphQLError(
    `The Shopify stand-in does not implement discount ${key} other than all buyers or customers`,
    { extensions: { code: "STAND_IN_NOT_IMPLEMENTED" } },
  );
}

function commonFields(
  ctx: AdminContext,
  input: Record<string, unknown>,
  prefix: string,
  errors: UserError[],
): Fields {
  const code = typeof input.code === "string" ? input.code.trim() : "";
  if (blank(input.code)) {
    errors.push({ field: [prefix, "code"], message: "Code can't be blank", code: "BLANK" });
  } else if (code.length > 255) {
    errors.push({ field: [prefix, "code"], message: "Code is too long", code: "TOO_LONG" });
  } else if (/[\r\n]/.test(code)) {
    errors.push({
      field: [prefix, "code"],
      message: "Code can't contain newlines",
      code: "INVALID",
    });
  } else if (ctx.state.discountByCode(code)) {
    errors.push({
      field: [prefix, "code"],
      message: "Code must be unique. Please try a different code.",
      code: "TAKEN",
    });
  }
  if (blank(input.title)) {
    errors.push({ field: [prefix, "title"], message: "Title can't be blank", code: "BLANK" });
  }
  const startsAt = date(input.startsAt) ?? ctx.now;
  const endsAt = date(input.endsAt);
  if (endsAt && endsAt <= startsAt) {
    errors.push({
      field: [prefix, "endsAt"],
      message: "Ends at needs to be after starts_at",
      code: "END_DATE_BEFORE_START_DATE",
    });
  }
  const usageLimit = typeof input.usageLimit === "number" ? input.usageLimit : null;
  if (usageLimit !== null && usageLimit < 1) {
    errors.push({
      field: [prefix, "usageLimit"],
      message: "Usage limit must be greater than 0",
      code: "GREATER_THAN",
    });
  }
  const combines = isRecord(input.combinesWith) ? input.combinesWith : {};
  return {
    code,
    title: typeof input.title === "string" ? input.title.trim() : "",
    customers: buyers(ctx, input, prefix, errors),
    startsAt,
    endsAt,
    usageLimit,
    appliesOncePerCustomer: input.appliesOncePerCustomer === true,
    combinesWith: {
      orderDiscounts: combines.orderDiscounts === true,
      productDiscounts: combines.productDiscounts === true,
      shippingDiscounts: combines.shippingDiscounts === true,
    },
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

function basicValue(input: Record<string, unknown>, errors: UserError[]): DiscountValue | null {
  const prefix = ["basicCodeDiscount", "customerGets"];
  const gets = input.customerGets;
  if (!isRecord(gets) || !isRecord(gets.value)) {
    errors.push({ field: prefix, message: "Customer gets can't be blank", code: "BLANK" });
    return null;
  }
  const items = gets.items;
  if (!isRecord(items) || (items.all !== true && !items.products && !items.collections)) {
    errors.push({ field: [...prefix, "items"], message: "Items can't be blank", code: "BLANK" });
  } else if (items.all !== true && (items.collections || !isRecord(items.products))) {
    throw new GraphQLError("The Shopify stand-in does not implement collection discount items", {
      extensions: { code: "STAND_IN_NOT_IMPLEMENTED" },
    });
  }
  const value = gets.value;
  const given = ["percentage", "discountAmount", "discountOnQuantity"].filter(
    (k) => value[k] !== undefined && value[k] !== null,
  );
  if (given.length !== 1) {
    errors.push({
      field: [...prefix, "value"],
      message: "Only one of percentage, discountAmount or discountOnQuantity must be provided",
      code: "INVALID",
    });
    return null;
  }
  if (typeof value.percentage === "number") {
    if (value.percentage < 0 || value.percentage > 1) {
      errors.push({
        field: [...prefix, "value", "percentage"],
        message: "Value must be between 0.0 and 1.0",
        code: "VALUE_OUTSIDE_RANGE",
      });
      return null;
    }
    return { type: "percentage", percentage: value.percentage };
  }
  if (isRecord(value.discountAmount)) {
    const cents = decimalToCents(value.discountAmount.amount);
    if (cents === null || cents <= 0) {
      errors.push({
        field: [...prefix, "value", "discountAmount", "amount"],
        message: "Amount must be greater than 0",
        code: "GREATER_THAN",
      });
      return null;
    }
    return {
      type: "fixedAmount",
      cents,
      appliesOnEachItem: value.discountAmount.appliesOnEachItem === true,
    };
  }
  // https://shopify.dev/docs/api/admin-graphql/latest/input-objects/DiscountCustomerGetsValueInput
  errors.push({
    field: [...prefix, "value", "discountOnQuantity"],
    message: "discountOnQuantity is only valid for buy X get Y discounts",
    code: "INVALID",
  });
  return null;
}

function created(
  ctx: AdminContext,
  fields: Fields & Pick<DiscountCodeRecord, "items">,
  kind: DiscountCodeRecord["kind"],
  value: DiscountValue,
) {
  const record = ctx.state.addDiscount({ ...fields, kind, value });
  return { codeDiscountNode: discountNodeView(ctx, record), userErrors: [] };
}

export const discountResolvers: Record<string, Resolver> = {
  "Mutation.discountCodeBasicCreate": (_source, args, ctx) => {
    const input = isRecord(args.basicCodeDiscount) ? args.basicCodeDiscount : {};
    const errors: UserError[] = [];
    const fields = commonFields(ctx, input, "basicCodeDiscount", errors);
    const value = basicValue(input, errors);
    if (errors.length > 0 || !value) return { codeDiscountNode: null, userErrors: errors };
    return created(ctx, { ...fields, items: discountItems(input) }, "basic", value);
  },

  "Mutation.discountCodeFreeShippingCreate": (_source, args, ctx) => {
    const input = isRecord(args.freeShippingCodeDiscount) ? args.freeShippingCodeDiscount : {};
    const errors: UserError[] = [];
    const fields = commonFields(ctx, input, "freeShippingCodeDiscount", errors);
    const destination = input.destination;
    if (isRecord(destination) && destination.countries) {
      throw new GraphQLError("The Shopify stand-in does not implement shipping countries", {
        extensions: { code: "STAND_IN_NOT_IMPLEMENTED" },
      });
    }
    let maximum: number | null = null;
    if (input.maximumShippingPrice !== undefined && input.maximumShippingPrice !== null) {
      maximum = decimalToCents(input.maximumShippingPrice);
      if (maximum === null || maximum < 0) {
        errors.push({
          field: ["freeShippingCodeDiscount", "maximumShippingPrice"],
          message: "Maximum shipping price must be greater than or equal to 0",
          code: "GREATER_THAN_OR_EQUAL_TO",
        });
      }
    }
    if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
    return created(ctx, fields, "freeShipping", {
      type: "freeShipping",
      maximumShippingPriceCents: maximum,
    });
  },

  "Mutation.discountCodeDelete": (_source, args, ctx) => {
    const id = idOfType(args.id, "DiscountCodeNode");
    if (id === null || !ctx.state.deleteDiscount(id)) {
      return { deletedCodeDiscountId: null, userErrors: [notFound()] };
    }
    return { deletedCodeDiscountId: args.id, userErrors: [] };
  },

  "Mutation.discountCodeDeactivate": (_source, args, ctx) => {
    parseGid(args.id);
    const id = idOfType(args.id, "DiscountCodeNode");
    const record = id === null ? undefined : ctx.state.deactivateDiscount(id, ctx.now);
    if (!record) return { codeDiscountNode: null, userErrors: [notFound()] };
    return { codeDiscountNode: discountNodeView(ctx, record), userErrors: [] };
  },
};

/** "all", or the products/variants the discount is limited to (e.g. a free product reward). */
function discountItems(input: Record<string, unknown>): DiscountCodeRecord["items"] {
  const gets = isRecord(input.customerGets) ? input.customerGets : {};
  const items = isRecord(gets.items) ? gets.items : {};
  if (items.all === true || !isRecord(items.products)) return "all";
  const ids = (list: unknown, type: string) =>
    (Array.isArray(list) ? list : []).flatMap((gid) => {
      const id = idOfType(gid, type);
      return id === null ? [] : [id];
    });
  return {
    productIds: ids(items.products.productsToAdd, "Product"),
    variantIds: ids(items.products.productVariantsToAdd, "ProductVariant"),
  };
}

function notFound(): UserError {
  return { field: ["id"], message: "Code discount does not exist.", code: "INVALID" };
}
