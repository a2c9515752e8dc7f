import { describe, expect, it } from "vitest";
import { z } from "zod";
import catalogMarkdown from "../../../docs/event-catalog.md?raw";
import { omnisendEventName } from "../omnisend";
import { EVENT_TYPES, eventDefinition, isLoyaltyEventType } from "./catalog";

// Drift guard between docs/event-catalog.md (the public contract) and the code. The doc's §1 table
// is parsed as written; if someone edits either side alone, this fails. The doc is loaded with
// Vite's `?raw` import rather than node:fs because ESLint bans node:* under app/domain/**.

interface DocRow {
  type: string;
  flowTrigger: string;
  klaviyoMetric: string;
  omnisendEvent: string;
  keyPayload: string;
}

const EXPECTED_HEADER = [
  "internal type",
  "Flow trigger (name)",
  "Klaviyo metric",
  "Omnisend event",
  "when",
  "key payload",
];

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

/** The first markdown table after the "## 1." heading. */
function parseEventTable(markdown: string): { header: string[]; rows: DocRow[] } {
  const lines = markdown.split(/\r?\n/);
  const heading = lines.findIndex((line) => line.startsWith("## 1."));
  if (heading < 0) throw new Error("no '## 1.' section in the event catalog");
  const start = lines.findIndex((line, i) => i > heading && line.trim().startsWith("|"));
  const table: string[] = [];
  for (let i = start; i < lines.length && lines[i]?.trim().startsWith("|"); i++) {
    table.push(lines[i] ?? "");
  }
  const [headerLine = "", separator = "", ...body] = table;
  expect(separator).toMatch(/^\|(\s*-+\s*\|)+$/);
  const rows = body.map((line) => {
    const [type = "", flowTrigger = "", klaviyoMetric = "", omnisendEvent = "", , keyPayload = ""] =
      cells(line);
    return { type, flowTrigger, klaviyoMetric, omnisendEvent, keyPayload };
  });
  return { header: cells(headerLine), rows };
}

/** "points, source ∈ a, b, c; order id when …" → { source: [a, b, c] }. */
function docEnums(keyPayload: string): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  for (const part of keyPayload.split(";")) {
    const match = /([a-z_]+)\s*∈\s*(.+)$/.exec(part);
    if (!match?.[1] || !match[2]) continue;
    const values = match[2].split(",").map((value) => value.trim());
    enums.set(match[1], values);
  }
  return enums;
}

/** The enum values of a payload key (through .nullable()), or null when it is not an enum. */
function codeEnumValues(schema: z.ZodObject, key: string): string[] | null {
  let field: unknown = schema.shape[key];
  if (field instanceof z.ZodNullable) field = field.unwrap();
  return field instanceof z.ZodEnum ? field.options.map(String) : null;
}

const { header, rows } = parseEventTable(catalogMarkdown);

describe("docs/event-catalog.md §1 ↔ code", () => {
  it("has the expected table columns (so the parser reads the right cells)", () => {
    expect(header).toEqual(EXPECTED_HEADER);
    expect(rows.length).toBeGreaterThan(0);
  });

  it("lists exactly the code's event types, in the same order", () => {
    expect(rows.map((row) => row.type)).toEqual([...EVENT_TYPES]);
  });

  it.each(rows)(
    "$type: internal type, Flow trigger, Klaviyo metric and Omnisend event match",
    (row) => {
      expect(isLoyaltyEventType(row.type)).toBe(true);
      if (!isLoyaltyEventType(row.type)) return;
      const definition = eventDefinition(row.type);
      expect(definition.type).toBe(row.type);
      expect(definition.klaviyoMetric).toBe(row.klaviyoMetric);
      expect(omnisendEventName(row.type)).toBe(row.omnisendEvent);
      expect(definition.flowTrigger?.name ?? "(none)").toBe(row.flowTrigger);
    },
  );

  it.each(rows)("$type: every enum the doc lists (key ∈ …) has exactly those values", (row) => {
    if (!isLoyaltyEventType(row.type)) throw new Error(`unknown type ${row.type}`);
    const schema = eventDefinition(row.type).payload;
    for (const [key, values] of docEnums(row.keyPayload)) {
      expect(
        values.every((value) => /^[a-z0-9_]+$/.test(value)),
        `${key}: ${values}`,
      ).toBe(true);
      expect(codeEnumValues(schema, key), `${row.type}.${key}`).toEqual(values);
    }
  });

  it("finds the enums the brief names (source, change, reason, reward_type), so the parser is not silent", () => {
    const found = rows.flatMap((row) =>
      [...docEnums(row.keyPayload).keys()].map((k) => `${row.type}.${k}`),
    );
    expect(found).toEqual([
      "member.activated.source",
      "points.added.source",
      "points.subtracted.source",
      "tier.updated.change",
      "tier.updated.reason",
      "reward.issued.source",
      "reward.issued.reward_type",
      "store_credit.debited.source",
    ]);
  });

  it("enum fields that the catalog names (source, change, reward_type) are enums wherever present", () => {
    for (const type of EVENT_TYPES) {
      const schema = eventDefinition(type).payload;
      for (const key of ["source", "change", "reward_type"]) {
        if (key in schema.shape)
          expect(codeEnumValues(schema, key), `${type}.${key}`).not.toBeNull();
      }
    }
  });
});
