import { parseCustomerId } from "../customers/customer-id";
import { parseCsv, CsvSyntaxError } from "../csv";

/**
 * The import file (ADR 0031): a header row naming some of these columns, in any order, then one
 * member per line. A member is found by customer_id (Shopify's numeric id or its gid) or email;
 * each line sets an opening points balance, a VIP tier and/or a birthday.
 */
export const IMPORT_COLUMNS = ["customer_id", "email", "points", "tier", "birthday"] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const MAX_IMPORT_ROWS = 200_000;
export const MAX_OPENING_POINTS = 10_000_000;

export interface ImportRow {
  line: number;
  customerId: bigint | null;
  email: string | null;
  points: number | null;
  tier: string | null;
  birthday: { month: number; day: number; year: number | null } | null;
}

/** Values for a copy key's placeholders. */
export type CopyParams = Record<string, string | number>;

/**
 * A line the import refuses: `reason` is a copy key (`import.line.*`), written in the staff
 * member's language by the page that shows it; runs stored before keys keep their English text.
 */
export interface LineError {
  line: number;
  reason: string;
  params?: CopyParams;
}

export interface ParsedImport {
  rows: ImportRow[];
  errors: LineError[];
  /** Data lines in the file (valid or not). */
  total: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A file-level problem (no header, unknown column): nothing in the file can be applied. */
export class ImportFileError extends Error {
  constructor(
    /** A copy key (`import.file.*`). */
    message: string,
    readonly params?: CopyParams,
  ) {
    super(message);
    this.name = "ImportFileError";
  }
}

export function parseImport(text: string): ParsedImport {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new ImportFileError("import.file.notCsv", { line: error.line });
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw new ImportFileError("import.file.empty");
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = columns.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) {
    throw new ImportFileError("import.file.unknownColumns", {
      columns: unknown.map((c) => `"${c}"`).join(", "),
      allowed: IMPORT_COLUMNS.join(", "),
    });
  }
  if (new Set(columns).size !== columns.length)
    throw new ImportFileError("import.file.columnTwice");
  if (!columns.includes("customer_id") && !columns.includes("email")) {
    throw new ImportFileError("import.file.noKeyColumn");
  }
  if (data.length > MAX_IMPORT_ROWS) {
    throw new ImportFileError("import.file.tooManyLines", {
      count: data.length,
      max: MAX_IMPORT_ROWS,
    });
  }
  const rows: ImportRow[] = [];
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      errors.push({
        line: record.line,
        reason: "import.line.fieldCount",
        params: { fields: record.fields.length, columns: columns.length },
      });
      continue;
    }
    const cell = (name: ImportColumn) => {
      const index = columns.indexOf(name);
      const value = index < 0 ? "" : record.fields[index]!.trim();
      return value === "" ? null : value;
    };
    const result = parseRow(record.line, cell);
    if ("reason" in result) {
      errors.push(result);
      continue;
    }
    const key = result.customerId !== null ? `id:${result.customerId}` : `email:${result.email}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ line: record.line, reason: "import.line.duplicate", params: { first } });
      continue;
    }
    seen.set(key, record.line);
    rows.push(result);
  }
  return { rows, errors, total: data.length };
}

function parseRow(
  line: number,
  cell: (name: ImportColumn) => string | null,
): ImportRow | LineError {
  const fail = (reason: string, params?: CopyParams): LineError =>
    params ? { line, reason, params } : { line, reason };
  const rawId = cell("customer_id");
  let customerId: bigint | null = null;
  if (rawId !== null) {
    customerId = parseCustomerId(rawId);
    if (customerId === null) return fail("import.line.customerId", { value: rawId });
  }
  const rawEmail = cell("email");
  if (rawEmail !== null && !EMAIL.test(rawEmail))
    return fail("import.line.email", { value: rawEmail });
  const email = rawEmail?.toLowerCase() ?? null;
  if (customerId === null && email === null) return fail("import.line.noKey");
  const rawPoints = cell("points");
  let points: number | null = null;
  if (rawPoints !== null) {
    if (!/^-?\d+$/.test(rawPoints)) return fail("import.line.pointsNotWhole", { value: rawPoints });
    points = Number(rawPoints);
    if (points < 0) return fail("import.line.pointsNegative", { value: rawPoints });
    if (points > MAX_OPENING_POINTS)
      return fail("import.line.pointsTooMany", { value: rawPoints, max: MAX_OPENING_POINTS });
  }
  const tier = cell("tier");
  if (tier !== null && tier.length > 100) return fail("import.line.tierTooLong");
  const rawBirthday = cell("birthday");
  let birthday: ImportRow["birthday"] = null;
  if (rawBirthday !== null) {
    const match = /^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$/.exec(rawBirthday);
    const year = match?.[1] ? Number(match[1]) : null;
    const month = Number(match?.[2]);
    const day = Number(match?.[3]);
    const valid =
      match &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= DAYS_IN_MONTH[month - 1]! &&
      (year === null ||
        (year >= 1900 && year <= 2100 && (month !== 2 || day !== 29 || isLeap(year))));
    if (!valid) return fail("import.line.birthday", { value: rawBirthday });
    birthday = { month, day, year };
  }
  if (points === null && tier === null && birthday === null) {
    return fail("import.line.setsNothing");
  }
  return { line, customerId, email, points, tier, birthday };
}

function isLeap(year: number) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
