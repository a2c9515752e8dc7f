import { defineConfig } from "vitest/config";

// Browser tests: the whole sandbox (built app + stand-ins) driven by Debian's Chromium.
export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    // The sandbox installs the app, seeds a program and delivers the seeded webhooks before the
    // tests: on a busy 2-core machine that has taken over three minutes.
    hookTimeout: 420_000,
    pool: "forks",
    fileParallelism: false,
    // A passing test's console output (the sandbox's and workers' logs) is dropped: a failure
    // reads at a glance.
    silent: "passed-only",
  },
});
