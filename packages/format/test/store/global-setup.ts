import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { bundleForChildren } from "../../../../test-support/bundle-for-children.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the bundled stores (ESM, see child-entry.ts) that child-process tests import. */
    colzStoresBundle: string;
  }
}

/** Bundles the stores (test/store/child-entry.ts, built from src/) for the crash and lock tests. */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const { file, cleanup } = await bundleForChildren({
    entry: join(root, "test/store/child-entry.ts"),
    parent: tmpdir(),
    name: "stores",
    external: [/^node:/],
  });
  project.provide("colzStoresBundle", file);
  return cleanup;
}
