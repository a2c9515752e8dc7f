import { SignJWT } from "jose";
import { API_SECRET, TEST_SHOP } from "./webhooks";

const API_KEY = process.env.SHOPIFY_API_KEY ?? "sandbox-loyalty-api-key";

export interface ExtensionTokenClaims {
  /** The shop (`dest`): customer account extensions send the bare domain, POS a URL. */
  dest?: string;
  /** The customer (customer account) or staff member (POS); absent for a guest. */
  sub?: string | null;
  /** Signed with another secret than the app's: a forged token. */
  secret?: string;
  /** Expired this many seconds ago instead of valid for five minutes. */
  expiredSecondsAgo?: number;
}

/** A session token as Shopify signs it for the app's UI extensions (customer account, POS). */
export async function extensionToken(claims: ExtensionTokenClaims = {}) {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = claims.expiredSecondsAgo ? now - claims.expiredSecondsAgo : now + 300;
  const jwt = new SignJWT({ dest: claims.dest ?? TEST_SHOP })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience(API_KEY)
    .setIssuedAt(expiresAt - 300)
    .setNotBefore(expiresAt - 305)
    .setExpirationTime(expiresAt);
  if (claims.sub) jwt.setSubject(claims.sub);
  return jwt.sign(new TextEncoder().encode(claims.secret ?? API_SECRET));
}
