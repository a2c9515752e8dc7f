import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvRecord, CsvSyntaxError, parseCsv } from "./csv";

describe("csvField", () => {
  it("quotes commas, quotes and line breaks (RFC 4180) and leaves plain text alone", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(-5)).toBe("-5");
  });

  it("defuses spreadsheet formulas in text, not in numbers", () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1 555")).toBe("'+1 555");
    expect(csvField("@sum")).toBe("'@sum");
    expect(csvField("-3")).toBe("'-3");
    expect(csvField(-3)).toBe("-3");
  });
});

describe("parseCsv", () => {
  it("reads quoted fields across lines and numbers records by their first line", () => {
    const rows = parseCsv('a,b\r\n"x\ny",2\n\n3,"q""uote"\n');
    expect(rows).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x\ny", "2"] },
      { line: 5, fields: ["3", 'q"uote'] },
    ]);
  });

  it("refuses broken quoting with the line", () => {
    expect(() => parseCsv('a\nb"c\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"open\n')).toThrow(/line 2/);
  });

  it("property: what csvRecord writes, parseCsv reads back (formula guard aside)", () => {
    const text = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (records) => {
          const csv = records.map((r) => csvRecord(r)).join("");
          const parsed = parseCsv(csv).map((r) => r.fields);
          const nonEmpty = records.filter((r) => !(r.length === 1 && r[0] === ""));
          expect(parsed).toEqual(nonEmpty);
        },
      ),
    );
  });
});
