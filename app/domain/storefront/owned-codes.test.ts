import { describe, expect, it } from "vitest";
import { ownedCodes, type OwnedCodeFacts } from "./owned-codes";

const NOW = new Date("2026-12-07T12:00:00Z");
const row = (fields: Partial<OwnedCodeFacts> & { code: string }): OwnedCodeFacts => ({
  state: "issued",
  source: "points_redemption",
  snapshot: { definition: { name: "$5 off", type: "fixed_amount", minimumSubtotalMinor: 2000 } },
  valueMinor: 500,
  expiresAt: null,
  createdAt: "2026-12-01T10:00:00",
  ...fields,
});

describe("ownedCodes (My rewards)", () => {
  it("lists ready codes first, soonest to expire first, then used and expired ones newest first", () => {
    const codes = ownedCodes(
      [
        row({ code: "USED", state: "used", createdAt: "2026-12-05T10:00:00" }),
        row({ code: "LATE", expiresAt: "2027-01-30T00:00:00" }),
        row({ code: "SOON", expiresAt: "2026-12-10T00:00:00" }),
        row({ code: "NEVER" }),
        row({ code: "GONE", state: "expired", createdAt: "2026-12-06T10:00:00" }),
      ],
      NOW,
    );

    expect(codes.map((c) => [c.code, c.status])).toEqual([
      ["SOON", "ready"],
      ["LATE", "ready"],
      ["NEVER", "ready"],
      ["GONE", "expired"],
      ["USED", "used"],
    ]);
    expect(codes[0]).toEqual({
      code: "SOON",
      name: "$5 off",
      type: "fixed_amount",
      status: "ready",
      source: "points_redemption",
      valueMinor: 500,
      percentage: null,
      minimumSubtotalMinor: 2000,
      // PostgreSQL's JSON gives UTC times without a zone.
      expiresAt: "2026-12-10T00:00:00.000Z",
      instructions: null,
    });
  });

  it("shows a code past its date as expired before the daily sweep marks it", () => {
    const [code] = ownedCodes([row({ code: "PAST", expiresAt: "2026-12-07T11:59:59" })], NOW);
    expect(code?.status).toBe("expired");
  });

  it("reads a percentage reward's value and survives a snapshot without a definition", () => {
    const [pct, bare] = ownedCodes(
      [
        row({
          code: "PCT",
          valueMinor: null,
          snapshot: { definition: { name: "10% off", type: "percentage", percentage: 10 } },
        }),
        row({ code: "BARE", snapshot: null, createdAt: "2026-11-01T00:00:00" }),
      ],
      NOW,
    );
    expect(pct).toMatchObject({ name: "10% off", percentage: 10, valueMinor: null });
    expect(bare).toMatchObject({ name: "BARE", type: "fixed_amount", status: "ready" });
  });

  it("carries a custom reward's instructions, which tell the shopper how to claim it", () => {
    const instructions = "Mention this code at checkout and we add gift wrap.";
    const [custom] = ownedCodes(
      [
        row({
          code: "LOYAL-ABC",
          valueMinor: null,
          snapshot: { definition: { name: "Gift wrap", type: "custom", instructions } },
        }),
      ],
      NOW,
    );
    expect(custom).toMatchObject({
      name: "Gift wrap",
      type: "custom",
      valueMinor: null,
      instructions,
    });
  });
});
