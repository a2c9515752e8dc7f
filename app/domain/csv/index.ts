export { csvField, csvRecord, CsvSyntaxError, parseCsv } from "./csv";
export type { CsvRow, CsvValue } from "./csv";
