import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { parseDatabaseUrl } from "./database-url";
import { pgliteAdapter } from "./pglite-adapter.server";

/** The driver adapter `prisma migrate` uses (see prisma.config.ts). */
export async function migrationAdapterFactory(url: string | undefined) {
  const target = parseDatabaseUrl(url);
  if (target.kind === "postgres")
    return new PrismaPg({ connectionString: target.connectionString });
  if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
  return pgliteAdapter(new PGlite(target.dataDir));
}
