/**
 * Which Klaviyo profile an event or property update lands on. Klaviyo needs at least one of
 * email, phone number or external id, and merges profiles on email and phone. We send what the
 * shopper gave Shopify, and fall back to the Shopify customer id as `external_id` only when there is
 * neither (a customer created from a POS sale, say). Sending the id alongside an email would risk a
 * 409 against a profile that Klaviyo's own Shopify integration created with the same email and
 * another external id. See docs/decisions/0010-klaviyo-delivery.md.
 */
export type ProfileIdentity = {
  email?: string;
  phoneNumber?: string;
  externalId?: string;
};

/** Klaviyo accepts phone numbers in E.164 only; anything else would fail the whole request. */
const E164 = /^\+[1-9]\d{6,14}$/;

export function profileIdentity(contact: {
  /** Null for a guest (a commerce event of a guest order, named by its email or phone). */
  customerId: string | null;
  email: string | null;
  phone: string | null;
}): ProfileIdentity {
  const identity: ProfileIdentity = {};
  if (contact.email) identity.email = contact.email;
  if (contact.phone && E164.test(contact.phone)) identity.phoneNumber = contact.phone;
  if (!identity.email && !identity.phoneNumber && contact.customerId) {
    identity.externalId = contact.customerId;
  }
  return identity;
}

/** One key per profile, for grouping a batch's events by the profile they belong to. */
export function identityKey(identity: ProfileIdentity): string {
  return [identity.email ?? "", identity.phoneNumber ?? "", identity.externalId ?? ""].join("|");
}
