import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, secretHint } from "./secrets.server";

describe("secrets at rest", () => {
  it("round-trips, and never stores the plaintext", () => {
    const stored = encryptSecret("pk_live_abcdef123456", "shop-a");
    expect(stored).not.toContain("abcdef");
    expect(stored.startsWith("v1.")).toBe(true);
    expect(decryptSecret(stored, "shop-a")).toBe("pk_live_abcdef123456");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", "shop-a")).not.toBe(encryptSecret("same", "shop-a"));
  });

  it("refuses a ciphertext moved to another shop or tampered with", () => {
    const stored = encryptSecret("pk_secret", "shop-a");
    expect(() => decryptSecret(stored, "shop-b")).toThrow();
    const [v, iv, tag, body] = stored.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(() =>
      decryptSecret([v, iv, tag, flipped.toString("base64url")].join("."), "shop-a"),
    ).toThrow();
    expect(() => decryptSecret("plain-text", "shop-a")).toThrow(/unknown format/);
  });

  it("hints at a key without revealing it", () => {
    expect(secretHint("pk_0123456789abcdefWXYZ")).toBe("pk_…WXYZ");
  });
});
