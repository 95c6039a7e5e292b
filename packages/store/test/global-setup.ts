import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of src/node.ts bundled as ESM, imported by the child-process scripts. */
    keyStoreBundle: string;
  }
}

/**
 * Bundles src/node.ts with tsup into a private temp directory under node_modules (not dist/, so
 * nobody's build is disturbed). Child processes import it; vitest's transform does not reach into them. The other
 * colz packages stay external and resolve to their built dist/.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const { build } = await import("tsup");
  const root = fileURLToPath(new URL("..", import.meta.url));
  // Inside node_modules so that the bundle's bare imports (@colz/*, apache-arrow) resolve.
  const outDir = mkdtempSync(join(root, "node_modules", ".colz-store-test-"));
  await build({
    entry: { keystore: join(root, "src/node.ts") },
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
  project.provide("keyStoreBundle", join(outDir, "keystore.js"));
  return () => rmSync(outDir, { recursive: true, force: true });
}
