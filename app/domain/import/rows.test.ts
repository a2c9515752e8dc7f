import { describe, expect, it } from "vitest";
import { hasMessage, translate, type Locale } from "~/lib/i18n";
import { ImportFileError, parseImport, type LineError } from "./rows";

/** A refusal as the import page writes it; fails on a reason that is not a copy key. */
function written(locale: Locale, error: { reason: string; params?: LineError["params"] }) {
  if (!hasMessage(error.reason)) throw new Error(`not a copy key: ${error.reason}`);
  return translate(locale, error.reason, error.params);
}

function fileError(text: string): ImportFileError {
  try {
    parseImport(text);
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error("the file was accepted");
}

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
    const reasons = parsed.errors.map((error) => ({
      line: error.line,
      reason: written("en", error),
    }));
    expect(reasons).toEqual([
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
    // The same refusals in French: every one is a copy key, none a sentence of the code's.
    expect(written("fr", parsed.errors[0]!)).toBe(
      "points «\u00a012.5\u00a0» n’est pas un nombre entier",
    );
    expect(written("fr", parsed.errors[6]!)).toBe("a 3 champs\u00a0; l’en-tête en a 4");
  });

  it("refuses a file without a way to find members, or with an unknown column", () => {
    const message = (text: string) => {
      const error = fileError(text);
      return written("en", { reason: error.message, params: error.params });
    };
    expect(message("points\n5\n")).toMatch(/needs a customer_id or an email column/);
    expect(message("email,balance\n")).toMatch(/^Unknown column "balance"; the columns are/);
    expect(message("")).toBe("The file is empty.");
    expect(message('email\n"open\n')).toBe(
      "The file is not valid CSV: check the quotes on line 2.",
    );
  });
});
