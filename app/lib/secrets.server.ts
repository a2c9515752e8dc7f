import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "~/env.server";

/**
 * Third-party credentials (Klaviyo keys and tokens) at rest: AES-256-GCM with the 32-byte
 * ENCRYPTION_KEY, a fresh 12-byte IV per value, and the shop id as associated data, so a ciphertext
 * copied onto another shop's row does not decrypt. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url);
 * the version prefix leaves room to rotate the key or the algorithm.
 */
const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(env().ENCRYPTION_KEY, "base64");
}

export function encryptSecret(plaintext: string, shopId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(shopId));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptSecret(stored: string, shopId: string): string {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) {
    throw new Error("Stored secret has an unknown format");
  }
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(shopId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/** What the admin may show of a key after it is stored: its kind and last four characters. */
export function secretHint(secret: string): string {
  const prefix = /^[a-z]+_/.exec(secret)?.[0] ?? "";
  return `${prefix}…${secret.slice(-4)}`;
}
