import { describe, expect, it } from "vitest";
import { ImportFileError, parseImport } from "./rows";

describe("parseImport", () => {
  it("reads members by id or email, with points, tier and birthday", () => {
    const parsed = parseImport(
      "Email,customer_id,points,tier,birthday\n" +
        "Ada@Example.com,,120,Gold,1990-02-14\n" +
        ",gid://shopify/Customer/42,0,,03-01\n",
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        line: 2,
        customerId: null,
        email: "ada@example.com",
        points: 120,
        tier: "Gold",
        birthday: { month: 2, day: 14, year: 1990 },
      },
      {
        line: 3,
        customerId: 42n,
        email: null,
        points: 0,
        tier: null,
        birthday: { month: 3, day: 1, year: null },
      },
    ]);
  });

  it("reports each bad line with its number and reason, and keeps the good ones", () => {
    const parsed = parseImport(
      "customer_id,email,points,birthday\n" +
        "1,,12.5,\n" +
        "2,,-4,\n" +
        "3,not-an-email,5,\n" +
        ",,5,\n" +
        "4,,,1990-02-30\n" +
        "5,,,\n" +
        "6,,7\n" +
        "7,,7,\n" +
        "7,,8,\n" +
        "abc,,1,\n",
    );
    expect(parsed.rows.map((r) => r.line)).toEqual([9]);
    expect(parsed.errors).toEqual([
      { line: 2, reason: 'points "12.5" is not a whole number' },
      { line: 3, reason: "points -4 is negative; an opening balance is 0 or more" },
      { line: 4, reason: 'email "not-an-email" is not an email address' },
      { line: 5, reason: "needs a customer_id or an email" },
      { line: 6, reason: 'birthday "1990-02-30" is not a date (YYYY-MM-DD or MM-DD)' },
      { line: 7, reason: "sets nothing: give points, a tier or a birthday" },
      { line: 8, reason: "has 3 fields; the header has 4" },
      { line: 10, reason: "the same member is already on line 9" },
      { line: 11, reason: 'customer_id "abc" is not a Shopify customer id' },
    ]);
    expect(parsed.total).toBe(10);
  });

  it("refuses a file without a way to find members, or with an unknown column", () => {
    expect(() => parseImport("points\n5\n")).toThrow(ImportFileError);
    expect(() => parseImport("email,balance\n")).toThrow(/Unknown column "balance"/);
    expect(() => parseImport("")).toThrow(/empty/);
    expect(() => parseImport('email\n"open\n')).toThrow(/not valid CSV/);
  });
});
