import { defineConfig } from "vitest/config";

// Browser tests: the whole sandbox (built app + stand-ins) driven by Debian's Chromium.
export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
