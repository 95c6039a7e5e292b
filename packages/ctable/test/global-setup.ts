import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { bundleForChildren } from "../../../test-support/bundle-for-children.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the bundled "@colz/ctable/node" entry that child-process tests import. */
    colzCtableBundle: string;
  }
}

/**
 * Bundles src/node.ts for the crash and lock tests that run tables in child processes. It sits
 * under node_modules so its bare imports (@colz/format, @colz/blosc-wasm) resolve to their dist.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const { file, cleanup } = await bundleForChildren({
    entry: join(root, "src/node.ts"),
    parent: join(root, "node_modules"),
    name: "node",
    external: [/^node:/, /^@colz\//, "apache-arrow"],
  });
  project.provide("colzCtableBundle", file);
  return cleanup;
}
