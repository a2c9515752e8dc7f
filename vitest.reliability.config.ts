import { defineConfig } from "vitest/config";

// The reliability suite (`npm run test:reliability`): replays, crashes, dropped connections,
// cross-shop isolation, fuzzing, reconciliation and security checks, on PostgreSQL (each file gets
// a throwaway database). RELIABILITY_SIZE=ci runs a reduced size; the default is the full size.
export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["tests/reliability/**/*.test.ts"],
    setupFiles: ["tests/setup/env.ts", "tests/setup/database.ts"],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: "forks",
    // A passing test's console output (the sandbox's and workers' logs) is dropped: a failure
    // reads at a glance.
    silent: "passed-only",
    // Files start worker processes and saturate the CPU: one at a time keeps timings meaningful.
    fileParallelism: false,
  },
});
