export { IMPORT_COLUMNS, ImportFileError, MAX_IMPORT_ROWS, parseImport } from "./rows";
export type { ImportRow, LineError, ParsedImport } from "./rows";
