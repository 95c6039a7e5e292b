import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Bundles src/node.ts once for the tests that run key stores in child processes.
    globalSetup: ["test/global-setup.ts"],
  },
});
