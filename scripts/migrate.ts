// `npm run setup`: applies prisma/migrations to DATABASE_URL (PGlite under .data/ by default).
import { database } from "../app/db.server";
import { migrate } from "../app/db/migrate.server";

const result = await migrate(database);
console.info(`migrations: ${result.applied.length} applied, ${result.total} in total`);
await database.close();
