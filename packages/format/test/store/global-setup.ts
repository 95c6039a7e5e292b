import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the bundled stores (ESM, see child-entry.ts) that child-process tests import. */
    colzStoresBundle: string;
  }
}

/**
 * Bundles the stores (test/store/child-entry.ts, built from src/) with tsup into a private temp
 * directory: no .d.ts and not the package's dist/, so concurrent builds by other developers are
 * not disturbed. Child processes in the crash and lock tests import it; vitest's own
 * transform does not reach into them.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const { build } = await import("tsup");
  const outDir = mkdtempSync(join(tmpdir(), "colz-format-build-"));
  const root = fileURLToPath(new URL("../..", import.meta.url));
  await build({
    entry: { stores: join(root, "test/store/child-entry.ts") },
    format: ["esm"],
    outDir,
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
    platform: "node",
    target: "es2022",
    external: [/^node:/],
  });
  project.provide("colzStoresBundle", join(outDir, "stores.js"));
  return () => rmSync(outDir, { recursive: true, force: true });
}
