import path from "node:path";

/** Where the data lives: an embedded PGlite (a folder, or memory) or a PostgreSQL server. */
export type DatabaseTarget =
  | {
      kind: "pglite";
      dataDir: string | undefined;
      /** In memory, starting as a copy of this PGlite dump (a `dumpDataDir` tarball). */
      snapshot?: string;
    }
  | { kind: "postgres"; connectionString: string };

export const DEFAULT_PGLITE_DIR = ".data/pglite";

/**
 * Reads DATABASE_URL: `postgres://…` / `postgresql://…` for a server, `pglite:<folder>` for an
 * embedded database persisted to a folder, `pglite:memory` for a throwaway one, and
 * `pglite:snapshot:<file>` for a throwaway one that starts as a copy of a PGlite dump (the tests
 * start each file from one migrated database: loading it takes ~1.4 s, creating and migrating one
 * ~5 s). Unset means the embedded default under `.data/` (git-ignored).
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { kind: "pglite", dataDir: path.resolve(DEFAULT_PGLITE_DIR) };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", connectionString: url };
  if (url.startsWith("pglite:")) {
    const location = url.slice("pglite:".length).replace(/^\/\//, "");
    if (location.startsWith("snapshot:")) {
      return {
        kind: "pglite",
        dataDir: undefined,
        snapshot: path.resolve(location.slice("snapshot:".length)),
      };
    }
    if (location === "memory" || location === "") return { kind: "pglite", dataDir: undefined };
    return { kind: "pglite", dataDir: path.resolve(location) };
  }
  throw new Error(
    `DATABASE_URL must start with postgres://, postgresql:// or pglite: (got "${url.split(":")[0]}:…")`,
  );
}
