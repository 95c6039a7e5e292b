// Child-process tests import a bundle of the code under test: vitest's TypeScript transform does
// not reach into children. Every package's global setup builds one the same way, here.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * Bundles `entry` (an absolute .ts path) with tsup as ESM into a fresh directory inside `parent`
 * (not dist/, so concurrent package builds are untouched) and returns the bundle's path and a
 * cleanup. Put `parent` under the package's node_modules when the bundle keeps bare imports.
 *
 * @example
 * const { file, cleanup } = await bundleForChildren({ entry, parent, name: "stores", external: [/^node:/] });
 * @param {{ entry: string; parent: string; name: string; external: (string | RegExp)[] }} options
 * @returns {Promise<{ file: string; cleanup: () => void }>}
 */
export async function bundleForChildren({ entry, parent, name, external }) {
  const { build } = await import("tsup");
  const outDir = mkdtempSync(join(parent, `.colz-test-${name}-`));
  await build({
    entry: { [name]: entry },
    format: ["esm"],
    outDir,
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    config: false,
    platform: "node",
    target: "es2022",
    external,
  });
  return { file: join(outDir, `${name}.js`), cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}
