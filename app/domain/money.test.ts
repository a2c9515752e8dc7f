import { describe, expect, it } from "vitest";
import { formatMoney, moneyLocale, storeCreditMoney } from "./money";

describe("moneyLocale: money as the shop's country reads it", () => {
  it("takes the country's likely language with the country as region", () => {
    expect(moneyLocale("US")).toBe("en-US");
    expect(moneyLocale("FR")).toBe("fr-FR");
    expect(moneyLocale("CA")).toBe("en-CA");
    expect(moneyLocale("DE")).toBe("de-DE");
  });

  it("falls back to en-US for a shop whose country is not known or not a country code", () => {
    expect(moneyLocale(null)).toBe("en-US");
    expect(moneyLocale(undefined)).toBe("en-US");
    expect(moneyLocale("fr")).toBe("en-US");
    expect(moneyLocale("<script>")).toBe("en-US");
  });

  it("formats the same amount as each country writes it", () => {
    expect(formatMoney(1234, "EUR", moneyLocale("FR"))).toBe("12,34\u00a0€");
    expect(formatMoney(1234, "USD", moneyLocale("US"))).toBe("$12.34");
    expect(formatMoney(1234, "USD", moneyLocale("CA"))).toBe("US$12.34");
    expect(storeCreditMoney(500, 1234, "EUR", "de-DE")).toEqual({
      amount_minor: 500,
      currency: "EUR",
      amount_formatted: "5,00\u00a0€",
      symbol: "€",
      balance_minor: 1234,
      balance_formatted: "12,34\u00a0€",
    });
  });
});
