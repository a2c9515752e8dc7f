import fs from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { logger } from "../lib/logger.server";
import type { DatabaseTarget } from "./database-url";
import { pgliteAdapter } from "./pglite-adapter.server";
import { createPglite } from "./pglite.server";
import { releaseBrokenConnections } from "./release-broken-connections.server";

/** A raw SQL session outside Prisma: migrations need multi-statement scripts and advisory locks. */
export interface ScriptSession {
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** One database, as the app sees it: Prisma for the app, a raw session for migrations, pg-boss's settings. */
export interface DatabaseConnection {
  readonly target: DatabaseTarget;
  readonly prisma: PrismaClient;
  /** The embedded database, when there is one (pg-boss shares it: one PGlite per process). */
  readonly pglite: PGlite | undefined;
  /**
   * One parameterised statement outside Prisma, autocommitted: for the webhook acknowledgement,
   * whose single insert otherwise pays for Prisma's request handling (ADR 0037).
   */
  query<Row>(sql: string, params: unknown[]): Promise<Row[]>;
  withScriptSession<T>(work: (session: ScriptSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function openConnection(target: DatabaseTarget): DatabaseConnection {
  return target.kind === "postgres"
    ? openPostgres(target.connectionString)
    : openPglite(target.dataDir, target.snapshot);
}

function openPostgres(connectionString: string): DatabaseConnection {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client whose server connection ends (PostgreSQL restart, pg_terminate_backend, a
  // dropped test database) emits 'error' on the pool; without a listener that crashes the
  // process. The pool discards the client and opens a new one on the next query.
  pool.on("error", (error) =>
    logger.warn("idle database connection lost", { error: error.message }),
  );
  const prisma = new PrismaClient({ adapter: releaseBrokenConnections(new PrismaPg(pool)) });
  return {
    target: { kind: "postgres", connectionString },
    prisma,
    pglite: undefined,
    query: async <Row>(sql: string, params: unknown[]) =>
      (await pool.query(sql, params)).rows as Row[],
    async withScriptSession(work) {
      const client = await pool.connect();
      try {
        return await work({
          exec: async (sql) => void (await client.query(sql)),
          query: async <Row>(sql: string, params?: unknown[]) =>
            (await client.query(sql, params)).rows as Row[],
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function openPglite(dataDir: string | undefined, snapshot?: string): DatabaseConnection {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = createPglite(dataDir, snapshot);
  const prisma = new PrismaClient({ adapter: pgliteAdapter(pglite) });
  return {
    target: { kind: "pglite", dataDir, ...(snapshot ? { snapshot } : {}) },
    prisma,
    pglite,
    // Waits for any open transaction: PGlite runs one session.
    query: async <Row>(sql: string, params: unknown[]) =>
      (await pglite.query<Row>(sql, params)).rows,
    async withScriptSession(work) {
      return work({
        exec: async (sql) => void (await pglite.exec(sql)),
        query: async <Row>(sql: string, params?: unknown[]) =>
          (await pglite.query<Row>(sql, params)).rows,
      });
    },
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}
