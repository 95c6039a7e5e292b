import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "node",
  // Dependencies stay external: the CLI runs against the installed packages.
  external: [/^node:/, /^@colz\//, "apache-arrow", "commander", "cli-progress", "csv-parse"],
});
