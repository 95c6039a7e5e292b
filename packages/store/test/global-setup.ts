import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { bundleForChildren } from "../../../test-support/bundle-for-children.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of src/node.ts bundled as ESM, imported by the child-process scripts. */
    keyStoreBundle: string;
  }
}

/**
 * Bundles src/node.ts for the child-process tests. It sits under node_modules so its bare
 * imports (@colz/*, apache-arrow) resolve to the other packages' dist.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const { file, cleanup } = await bundleForChildren({
    entry: join(root, "src/node.ts"),
    parent: join(root, "node_modules"),
    name: "keystore",
    external: [/^node:/, /^@colz\//, "apache-arrow"],
  });
  project.provide("keyStoreBundle", file);
  return cleanup;
}
