/**
 * CSV as RFC 4180 defines it (https://www.rfc-editor.org/rfc/rfc4180): fields separated by commas,
 * records by CRLF; a field containing a comma, a quote, CR or LF is quoted and its quotes doubled.
 */

export type CsvValue = string | number | boolean | null | undefined;

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / CR before one) as a formula, so a
 * member named "=HYPERLINK(...)" would run in the merchant's spreadsheet (OWASP "CSV injection").
 * Text cells starting with one of these get a leading apostrophe; numbers are written as numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

export interface CsvRow {
  /** The physical line the record starts on (1 = the header), as a spreadsheet numbers it. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
  }
}

/**
 * Parses CSV text into records with their starting line numbers. Accepts LF or CRLF, a UTF-8 BOM,
 * quoted fields spanning lines; skips empty lines. A quote inside an unquoted field or an
 * unterminated quoted field is a CsvSyntaxError naming the line.
 */
export function parseCsv(input: string): CsvRow[] {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "" && !fieldStarted))
      rows.push({ line: start, fields });
    fields = [];
    field = "";
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          const next = text[i + 1];
          if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
            throw new CsvSyntaxError(line, "text after a closing quote");
          }
        }
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== "") throw new CsvSyntaxError(line, "a quote inside an unquoted field");
      quoted = true;
      fieldStarted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      fieldStarted = true;
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvSyntaxError(start, "a quoted field is not closed");
  if (field !== "" || fields.length > 0 || fieldStarted) endRecord();
  return rows;
}
