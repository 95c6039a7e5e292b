import { defineConfig } from "tsup";

export default defineConfig({
  // scan-worker is the body of the threaded-scan workers, loaded by path from dist/ (see scan-pool.ts).
  entry: { index: "src/index.ts", node: "src/node.ts", "scan-worker": "src/store/scan-worker.ts" },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  external: [/^node:/],
});
