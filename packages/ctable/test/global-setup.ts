import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the built "@colz/ctable/node" entry that child-process tests import. */
    colzCtableBundle: string;
  }
}

/**
 * Builds the package's Node entry (src/node.ts, with the package's tsup settings) for the tests
 * that run tables in child processes (crash and lock tests); vitest's transform does not reach
 * into children. It goes to a private directory under node_modules, not dist/: other developers
 * build dist/ concurrently, and the dist build also needs every other entry (arrow) to compile.
 * @colz/format and @colz/blosc-wasm stay external and resolve to their built dist like any user's.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const { build } = await import("tsup");
  const root = fileURLToPath(new URL("..", import.meta.url));
  const outDir = mkdtempSync(join(root, "node_modules", ".colz-test-build-"));
  await build({
    entry: { node: join(root, "src/node.ts") },
    format: ["esm"],
    outDir,
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
    platform: "node",
    target: "es2022",
    external: [/^node:/, /^@colz\//, "apache-arrow"],
  });
  project.provide("colzCtableBundle", join(outDir, "node.js"));
  return () => rmSync(outDir, { recursive: true, force: true });
}
