/**
 * giftCardCreate (https://shopify.dev/docs/api/admin-graphql/latest/mutations/giftCardCreate):
 * codes are 8–20 letters and digits, not case sensitive, and generated (16 characters) when
 * omitted; the full code is only ever returned here, as `giftCardCode`.
 */
import { randomInt } from "node:crypto";
import type { Resolver, UserError } from "../context";
import { giftCardView } from "../views/index";
import { decimalToCents, idOfType, isRecord } from "../values";

function generateCode(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

export const giftCardResolvers: Record<string, Resolver> = {
  "Mutation.giftCardCreate": (_source, args, ctx) => {
    const input = isRecord(args.input) ? args.input : {};
    const errors: UserError[] = [];
    const codeField = ["input", "code"];
    let code = typeof input.code === "string" ? input.code.trim() : null;
    if (code !== null) {
      if (code.length < 8) {
        errors.push({
          field: codeField,
          message: "Code is too short (minimum is 8 characters)",
          code: "TOO_SHORT",
        });
      } else if (code.length > 20) {
        errors.push({
          field: codeField,
          message: "Code is too long (maximum is 20 characters)",
          code: "TOO_LONG",
        });
      } else if (!/^[a-z0-9]+$/i.test(code)) {
        errors.push({ field: codeField, message: "Code is invalid", code: "INVALID" });
      } else if (ctx.state.giftCardByCode(code)) {
        errors.push({ field: codeField, message: "Code has already been taken", code: "TAKEN" });
      }
    } else {
      do code = generateCode();
      while (ctx.state.giftCardByCode(code));
    }
    const amount = isRecord(input.initialAmount) ? input.initialAmount : null;
    const cents = decimalToCents(amount ? amount.amount : input.initialValue);
    const currencyCode =
      amount && typeof amount.currencyCode === "string"
        ? amount.currencyCode
        : ctx.store.shop.currencyCode;
    if (cents === null) {
      errors.push({
        field: ["input", "initialAmount"],
        message: "Initial amount is required",
        code: "MISSING_ARGUMENT",
      });
    } else if (cents <= 0) {
      errors.push({
        field: ["input", amount ? "initialAmount" : "initialValue"],
        message: "Initial value must be greater than 0",
        code: "GREATER_THAN",
      });
    }
    let customerId: number | null = null;
    if (input.customerId !== undefined && input.customerId !== null) {
      customerId = idOfType(input.customerId, "Customer");
      if (customerId === null || !ctx.store.customers.has(customerId)) {
        errors.push({
          field: ["input", "customerId"],
          message: "The customer could not be found.",
          code: "CUSTOMER_NOT_FOUND",
        });
      }
    }
    if (errors.length > 0 || cents === null || code === null) {
      return { giftCard: null, giftCardCode: null, userErrors: errors };
    }
    const record = ctx.state.addGiftCard({
      code,
      initialCents: cents,
      balanceCents: cents,
      currencyCode,
      customerId,
      expiresOn: typeof input.expiresOn === "string" ? input.expiresOn : null,
      note: typeof input.note === "string" ? input.note : null,
      createdAt: ctx.now,
    });
    return { giftCard: giftCardView(ctx, record), giftCardCode: code, userErrors: [] };
  },
};
