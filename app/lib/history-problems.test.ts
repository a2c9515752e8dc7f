import { describe, expect, it } from "vitest";
import { historyProblemText } from "./history-problems";
import { translator } from "./i18n";

const en = translator("en");
const fr = translator("fr");

describe("historyProblemText", () => {
  it("writes each problem in the staff member's language from its values", () => {
    const noEmail = {
      kind: "no_email",
      detail: "Ada Lovelace (customer 7) has no email: …",
      values: { id: "7", name: "Ada Lovelace" },
    };
    expect(historyProblemText(noEmail, en)).toBe(
      "Ada Lovelace (customer 7) has no email: a member, but no email platform can reach them",
    );
    expect(historyProblemText(noEmail, fr)).toBe(
      "Ada Lovelace (client 7) n’a pas d’e-mail : membre, mais aucune plateforme d’e-mailing ne peut le joindre",
    );
    expect(historyProblemText({ ...noEmail, values: { id: "8", name: "" } }, fr)).toMatch(
      /^Client 8 n’a pas/,
    );
    const currency = {
      kind: "other_currency",
      detail: "…",
      values: { order: "#1030", currency: "EUR", shopCurrency: "USD" },
    };
    expect(historyProblemText(currency, fr)).toBe(
      "La commande #1030 est en EUR, la boutique en USD : laissée de côté",
    );
    const gone = { kind: "bulk_failed", detail: "…", values: { variant: "gone" } };
    expect(historyProblemText(gone, en)).toBe(
      "Shopify no longer has the export: this file was not imported",
    );
  });

  it("falls back to the stored English text for rows without values or unknown kinds", () => {
    expect(historyProblemText({ kind: "no_email", detail: "Old text", values: null }, fr)).toBe(
      "Old text",
    );
    expect(historyProblemText({ kind: "mystery", detail: "As stored", values: {} }, fr)).toBe(
      "As stored",
    );
    expect(historyProblemText({ kind: "no_email", detail: "Nested", values: { a: {} } }, fr)).toBe(
      "Nested",
    );
  });
});
