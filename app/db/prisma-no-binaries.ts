import { fileURLToPath } from "node:url";

// Prisma's CLI looks for its native engines at start and tries to download them when they are
// missing. With engineType "client" and engine "js" it never runs them, so pointing both
// variables at any existing file stops the download attempt. See ADR 0003.
const placeholder = fileURLToPath(import.meta.url);
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= placeholder;
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= placeholder;
