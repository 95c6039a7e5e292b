import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Fixed fast-check seed under CI (see the file).
    setupFiles: ["../../test-support/fast-check-seed.mjs"],
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Builds src/node.ts once for the tests that run tables in child processes (crash, locks).
    globalSetup: ["test/global-setup.ts"],
  },
});
