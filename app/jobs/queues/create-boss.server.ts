import { PgBoss, fromPglite } from "pg-boss";
import type { DatabaseConnection } from "~/db/connection.server";
import { logger } from "~/lib/logger.server";
import { QUEUES } from "./definitions";

/**
 * pg-boss on the app's own database: on PostgreSQL with its own pool, on PGlite through the one
 * embedded instance (pg-boss then runs in the same process as the app). See ADR 0004.
 */
export function createBoss(connection: DatabaseConnection, options: { supervise: boolean }) {
  const common = {
    schema: "pgboss",
    supervise: options.supervise,
    schedule: options.supervise,
    migrate: true,
  };
  const boss = connection.pglite
    ? new PgBoss({ ...common, db: fromPglite(connection.pglite), backend: "pglite" })
    : new PgBoss({
        ...common,
        connectionString: (connection.target as { connectionString: string }).connectionString,
        max: 5,
      });
  boss.on("error", (error: Error) => logger.error("pg-boss error", { error: error.message }));
  return boss;
}

export async function createQueues(boss: PgBoss) {
  for (const queue of Object.values(QUEUES)) {
    await boss.createQueue(queue.name, queue.options);
  }
}
