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
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "sandbox/**/*.test.ts", "tests/contracts/**/*.test.ts"],
          setupFiles: ["tests/setup/env.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          setupFiles: ["tests/setup/env.ts", "tests/setup/database.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
