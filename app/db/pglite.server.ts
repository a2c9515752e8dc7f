import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The embedded database, with the contrib extensions the migrations create: PGlite ships each as
 * a bundle loaded at start, and `CREATE EXTENSION` fails without it (pg_trgm and btree_gin for the
 * member search index, ADR 0050).
 */
export function createPglite(dataDir: string | undefined, snapshot?: string): PGlite {
  // The options form: `new PGlite(undefined, options)` ignores its options (an in-memory database).
  return new PGlite({
    dataDir,
    extensions: { pg_trgm, btree_gin },
    ...(snapshot ? { loadDataDir: new Blob([fs.readFileSync(snapshot)]) } : {}),
  });
}

/** A copy of the database's files, to start other in-memory databases from (`pglite:snapshot:`). */
export async function writePgliteSnapshot(pglite: PGlite, file: string) {
  const dump = await pglite.dumpDataDir("gzip");
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
}
