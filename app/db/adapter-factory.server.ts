import fs from "node:fs";
import { createPglite } from "./pglite.server";
import { PrismaPg } from "@prisma/adapter-pg";
import { parseDatabaseUrl } from "./database-url";
import { pgliteAdapter } from "./pglite-adapter.server";

/** The driver adapter `prisma migrate` uses (see prisma.config.ts). */
export async function migrationAdapterFactory(url: string | undefined) {
  const target = parseDatabaseUrl(url);
  if (target.kind === "postgres")
    return new PrismaPg({ connectionString: target.connectionString });
  if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
  return pgliteAdapter(createPglite(target.dataDir));
}
