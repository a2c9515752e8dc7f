import { openConnection, type DatabaseConnection } from "./db/connection.server";
import { parseDatabaseUrl } from "./db/database-url";

declare global {
  var loyaltyDatabase: DatabaseConnection | undefined;
}

// One connection per process, kept on globalThis so Vite's dev reloads do not open a second
// PGlite on the same folder (PGlite allows one owner per data directory). DATABASE_URL is read
// here rather than through env() so migrations and scripts run without the Shopify settings.
export const database: DatabaseConnection = (globalThis.loyaltyDatabase ??= openConnection(
  parseDatabaseUrl(process.env.DATABASE_URL),
));

const prisma = database.prisma;
export default prisma;
