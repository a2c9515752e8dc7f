import { describe, expect, it } from "vitest";
import { parseBatchRequest } from "./batch";
import {
  claimUrl,
  CODE_ALPHABET,
  CODE_BITS,
  CODE_RANDOM_BYTES,
  codeFromBytes,
  formatCode,
  normalizeCode,
} from "./code";

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("claim codes", () => {
  it("uses 32 symbols without look-alikes, and at least 40 random bits", () => {
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    for (const confusable of ["0", "O", "1", "I"]) expect(CODE_ALPHABET).not.toContain(confusable);
    expect(CODE_BITS).toBeGreaterThanOrEqual(40);
    expect(CODE_RANDOM_BYTES).toBe(8);
  });

  it("reads every 5 bits of the random bytes as one symbol", () => {
    expect(codeFromBytes(new Uint8Array(8))).toBe("222222222222");
    expect(codeFromBytes(bytes(255, 255, 255, 255, 255, 255, 255, 255))).toBe("ZZZZZZZZZZZZ");
    // Lowest 5 bits first: 0b00001 → "3", then 0b00010 → "4".
    expect(codeFromBytes(bytes(0, 0, 0, 0, 0, 0, 0, 0b01000001)).slice(0, 2)).toBe("34");
    expect(() => codeFromBytes(new Uint8Array(7))).toThrow(RangeError);
  });

  it("gives each symbol about equally often", () => {
    const counts = new Map<string, number>();
    let seed = 7;
    for (let i = 0; i < 4000; i++) {
      const random = new Uint8Array(8).map(
        () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16,
      );
      for (const ch of codeFromBytes(random)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    const expected = (4000 * 12) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.15);
  });

  it("prints in groups of four and reads back whatever the case, spaces and dashes", () => {
    expect(formatCode("K7QFM2XR9PDA")).toBe("K7QF-M2XR-9PDA");
    expect(normalizeCode("k7qf-m2xr-9pda")).toBe("K7QFM2XR9PDA");
    expect(normalizeCode(" K7QF M2XR 9PDA ")).toBe("K7QFM2XR9PDA");
  });

  it("calls malformed what cannot be a code", () => {
    expect(normalizeCode("K7QF-M2XR-9PD0")).toBeNull(); // 0 is not in the alphabet
    expect(normalizeCode("K7QF-M2XR-9PD")).toBeNull();
    expect(normalizeCode("K7QF-M2XR-9PDAA")).toBeNull();
    expect(normalizeCode("")).toBeNull();
    expect(normalizeCode("<script>")).toBeNull();
    expect(normalizeCode("A".repeat(1000))).toBeNull();
  });

  it("leads to the shop's App Proxy claim page", () => {
    expect(claimUrl("shop.myshopify.com", "K7QFM2XR9PDA")).toBe(
      "https://shop.myshopify.com/apps/loyalty/claim?code=K7QF-M2XR-9PDA",
    );
  });
});

describe("a batch request", () => {
  const today = { year: 2027, month: 3, day: 10 };
  const form = { name: "Fair", points: "500", count: "100", expiresOn: "" };

  it("takes points 1..100,000, count 1..10,000 and a last day after today", () => {
    expect(parseBatchRequest({ ...form, expiresOn: "2027-03-11" }, today)).toEqual({
      ok: true,
      batch: {
        name: "Fair",
        points: 500,
        count: 100,
        expiresOn: { year: 2027, month: 3, day: 11 },
      },
    });
    expect(parseBatchRequest({ ...form, points: "100000", count: "10000" }, today).ok).toBe(true);
    expect(parseBatchRequest({ ...form, points: "1", count: "1" }, today).ok).toBe(true);
  });

  it("names each field that is wrong", () => {
    const result = parseBatchRequest(
      { name: "", points: "100001", count: "0", expiresOn: "2027-03-10" },
      today,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        name: "claimCodes.error.name",
        points: "claimCodes.error.points",
        count: "claimCodes.error.count",
        expiresOn: "claimCodes.error.expiresOnPast",
      },
    });
    expect(parseBatchRequest({ ...form, points: "1.5", expiresOn: "next week" }, today)).toEqual({
      ok: false,
      errors: { points: "claimCodes.error.points", expiresOn: "claimCodes.error.expiresOn" },
    });
  });
});
