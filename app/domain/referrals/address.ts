// "Same address" for the referral fraud rule (ADR 0042): the street line, postal code and country
// after normalising spelling, so "12 Oak Street, Apt 4" and "12 oak st." in the same postal code
// are the same household. The second line (apartment, suite) is left out on purpose: it is the
// easiest part to vary, and a refused neighbour stays visible to the merchant with the reason.

/** An address as Shopify's REST payloads carry it (customer default_address, order shipping_address). */
export interface PostalAddress {
  address1?: string | null;
  zip?: string | null;
  country_code?: string | null;
  country?: string | null;
}

// Common street-type spellings folded to one form (USPS Publication 28 abbreviations).
const STREET_WORDS: Record<string, string> = {
  street: "st",
  avenue: "ave",
  road: "rd",
  boulevard: "blvd",
  drive: "dr",
  lane: "ln",
  court: "ct",
  place: "pl",
  square: "sq",
  terrace: "ter",
  highway: "hwy",
  parkway: "pkwy",
  north: "n",
  south: "s",
  east: "e",
  west: "w",
};

function streetLine(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => STREET_WORDS[word] ?? word)
    .join(" ");
}

/**
 * The comparable form of an address, or null when street, postal code or country is missing (an
 * incomplete address matches nothing, rather than everything without one).
 */
export function normalisedAddress(address: PostalAddress | null | undefined): string | null {
  if (!address) return null;
  const street = streetLine(address.address1 ?? "");
  const zip = (address.zip ?? "").toUpperCase().replace(/[^A-Z0-9]/g, "");
  const country = (address.country_code ?? address.country ?? "").trim().toUpperCase();
  if (!street || !zip || !country) return null;
  return `${street}|${zip}|${country}`;
}
