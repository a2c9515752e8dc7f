import { defineConfig } from "vitest/config";

const alias = { "~": new URL("./app", import.meta.url).pathname };

// Two projects: `unit` (pure code, contracts, stand-ins) and `integration` (routes and services on a
// real database: PGlite in memory by default, a throwaway PostgreSQL database when
// TEST_DATABASE_URL is set). Browser tests have their own config (vitest.e2e.config.ts).
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Quiet on success: a passing test's console output is dropped, and outside a terminal (CI,
    // a pipe) only failures and the totals are printed, so a failure reads at a glance.
    silent: "passed-only",
    reporters: process.stdout.isTTY ? ["default"] : ["minimal"],
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "app/**/*.test.ts",
            "sandbox/**/*.test.ts",
            "bench/harness/**/*.test.ts",
            "tests/contracts/**/*.test.ts",
            "extensions/**/*.test.tsx",
          ],
          setupFiles: ["tests/setup/env.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          globalSetup: ["tests/setup/pglite-snapshot.ts"],
          include: ["tests/integration/**/*.test.ts"],
          setupFiles: [
            "tests/setup/env.ts",
            "tests/setup/database.ts",
            "tests/setup/event-coverage.ts",
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
