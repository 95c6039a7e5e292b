import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Fixed fast-check seed under CI (see the file).
    setupFiles: ["../../test-support/fast-check-seed.mjs"],
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // Builds the Node entry once for the tests that run the stores in child processes.
    globalSetup: ["test/store/global-setup.ts"],
  },
});
