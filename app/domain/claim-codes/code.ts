// Claim codes (issue #23, ADR 0068): 12 characters from an alphabet without the look-alikes 0/O
// and 1/I, printed in three groups of four (K7QF-M2XR-9PDA). 32 symbols, so each character is
// exactly 5 random bits: 60 bits per code, far past the 40 bits a guesser would have to beat.

/** 2-9 and A-Z without I and O: 32 symbols, none of which reads as another. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const CODE_LENGTH = 12;
export const CODE_GROUP = 4;
/** Random bits in one code: log2(32) per character. */
export const CODE_BITS = CODE_LENGTH * Math.log2(CODE_ALPHABET.length);
/** Bytes of randomness one code takes (60 bits, rounded up to whole bytes). */
export const CODE_RANDOM_BYTES = Math.ceil(CODE_BITS / 8);

/**
 * A code from CODE_RANDOM_BYTES random bytes, read as a big number 5 bits at a time, so every
 * symbol is equally likely (no modulo bias). Pure: the caller brings the randomness.
 */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < CODE_RANDOM_BYTES) {
    throw new RangeError(`a code needs ${CODE_RANDOM_BYTES} random bytes, got ${bytes.length}`);
  }
  let bits = 0n;
  for (const byte of bytes.subarray(0, CODE_RANDOM_BYTES)) bits = (bits << 8n) | BigInt(byte);
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) {
    code += CODE_ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  return code;
}

/** The stored form (12 characters) as printed: K7QF-M2XR-9PDA. */
export function formatCode(code: string): string {
  const groups: string[] = [];
  for (let i = 0; i < code.length; i += CODE_GROUP) groups.push(code.slice(i, i + CODE_GROUP));
  return groups.join("-");
}

const STORED = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/**
 * What a shopper typed or scanned, as stored: case, spaces and dashes do not matter. Null when it
 * cannot be a code (wrong length, a letter the alphabet leaves out): malformed, looked up nowhere.
 */
export function normalizeCode(input: string): string | null {
  if (input.length > 64) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  return STORED.test(code) ? code : null;
}

/**
 * Where a printed code leads: the shop's App Proxy claim page
 * (https://<shop>/apps/loyalty/claim?code=…; prefix and subpath from shopify.app.toml [app_proxy]).
 */
export function claimUrl(shopDomain: string, code: string): string {
  return `https://${shopDomain}/apps/loyalty/claim?code=${formatCode(code)}`;
}
