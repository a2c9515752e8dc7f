import type { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * pglite-prisma-adapter 0.6 is the release for Prisma 6 but types itself against
 * @prisma/driver-adapter-utils 6.10. The interfaces differ only in `argTypes`, which this adapter
 * never reads (it passes `args` through), so the cast is sound; tests/integration exercise it.
 */
export function pgliteAdapter(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  return new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
}
