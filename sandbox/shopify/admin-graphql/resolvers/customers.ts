/**
 * customerCreate (https://shopify.dev/docs/api/admin-graphql/latest/mutations/customerCreate): a
 * customer needs an email, a phone or a name; an email must look like one and be the shop's only
 * customer with it ("Email has already been taken", TAKEN). The customer is created without an
 * activated account (state "disabled"), as customers created by apps are. Shopify also sends
 * customers/create; the sandbox's store actions send webhooks, this stand-in of the API does not.
 */
import type { Resolver, UserError } from "../context";
import { customerView } from "../views/index";
import { isRecord } from "../values";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);

export const customerResolvers: Record<string, Resolver> = {
  "Mutation.customerCreate": (_source, args, ctx) => {
    const input = isRecord(args.input) ? args.input : {};
    const email = text(input.email);
    const phone = text(input.phone);
    const firstName = text(input.firstName);
    const lastName = text(input.lastName);
    const errors: UserError[] = [];
    if (!email && !phone && !firstName && !lastName) {
      errors.push({
        field: null,
        message: "A name, phone number, or email address must be present",
        code: "INVALID",
      });
    }
    if (email && !EMAIL.test(email)) {
      errors.push({ field: ["email"], message: "Email is invalid", code: "INVALID" });
    } else if (
      email &&
      [...ctx.store.customers.values()].some((c) => c.email?.toLowerCase() === email.toLowerCase())
    ) {
      errors.push({ field: ["email"], message: "Email has already been taken", code: "TAKEN" });
    }
    if (errors.length > 0) return { customer: null, userErrors: errors };
    const tags = Array.isArray(input.tags) ? input.tags.filter((t) => typeof t === "string") : [];
    const customer = ctx.store.addCustomer(
      {
        email,
        phone,
        first_name: firstName,
        last_name: lastName,
        tags: tags.join(", "),
        state: "disabled",
      },
      ctx.now,
    );
    return { customer: customerView(ctx, customer), userErrors: [] };
  },
};
