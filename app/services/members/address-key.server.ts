import { createHash } from "node:crypto";
import { normalisedAddress, type PostalAddress } from "~/domain/referrals/address";

/**
 * What the app keeps of a customer's address: a SHA-256 of its normalised form, enough to tell
 * two addresses are the same (referral fraud rule, ADR 0042) without storing where anyone lives.
 */
export function addressKeyOf(address: PostalAddress | null | undefined): string | null {
  const normalised = normalisedAddress(address);
  return normalised === null ? null : createHash("sha256").update(normalised).digest("hex");
}
