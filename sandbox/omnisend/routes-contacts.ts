/**
 * The contacts API: `POST /contacts` (upsert by email, 201 created / 200 updated),
 * `PATCH /contacts?email=`, `PATCH /contacts/{id}`, `GET /contacts/{id}` and `GET /contacts`.
 */
import { parseContactRequest } from "./contact-input";
import { toContactResponse, updateContact, upsertContact } from "./contacts";
import { failValidation, failWith } from "./problems";
import type { RouteContext, RouteResult } from "./route-types";

export { listContacts } from "./list-contacts";

function parsedRequest({ state, body }: RouteContext) {
  const parsed = parseContactRequest(body, state.isoNow());
  if (parsed.errors.length > 0) failValidation(parsed.errors);
  return parsed.change;
}

export function createOrUpdateContact(ctx: RouteContext): RouteResult {
  const change = parsedRequest(ctx);
  if (change.identifiers.length === 0) {
    failValidation([
      {
        field: "identifiers",
        code: "required",
        message: "At least one email or phone identifier is required.",
      },
    ]);
  }
  const { contact, created } = upsertContact(ctx.state, change);
  return { status: created ? 201 : 200, body: toContactResponse(contact) };
}

export function updateContactByEmail(ctx: RouteContext): RouteResult {
  const email = ctx.url.searchParams.get("email")?.trim();
  if (!email) {
    failValidation([{ field: "email", code: "required", message: "Query parameter is required." }]);
  }
  const change = parsedRequest(ctx);
  const contact = updateContact(ctx.state, ctx.state.contactByEmail(email), change);
  return { status: 200, body: toContactResponse(contact) };
}

export function updateContactById(ctx: RouteContext): RouteResult {
  const change = parsedRequest(ctx);
  const contact = updateContact(ctx.state, ctx.state.contactById(ctx.params.id ?? ""), change);
  return { status: 200, body: toContactResponse(contact) };
}

export function getContact({ state, params }: RouteContext): RouteResult {
  const contact = state.contactById(params.id ?? "");
  if (!contact) failWith(404, "Contact not found.");
  return { status: 200, body: toContactResponse(contact) };
}
