// `npm run worker`: the job workers as their own process (PostgreSQL deployments). With the
// embedded PGlite database the web process runs them instead (see app/jobs/start.server.ts).
import { migrate } from "~/db/migrate.server";
import { database } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { shutdown, startJobs } from "./start.server";

if (database.target.kind === "pglite" && !process.env.DATABASE_URL?.startsWith("pglite:memory")) {
  logger.warn("PGlite allows one process per data folder: stop the web process or use PostgreSQL");
}
await migrate(database);
await startJobs({ workers: true });
logger.info("worker ready");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info("worker stopping", { signal });
    void shutdown().then(() => process.exit(0));
  });
}
