import path from "node:path";
import { defineConfig } from "prisma/config";
import { migrationAdapterFactory } from "./app/db/adapter-factory.server";
import "./app/db/prisma-no-binaries";

// The JS schema engine (`engine: "js"`) runs migrations through the same driver adapter the app
// uses, so `prisma migrate` needs no native binary. See docs/decisions/0003-prisma-without-binaries.md.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: () => migrationAdapterFactory(process.env.DATABASE_URL),
});
