import { fileURLToPath } from "node:url";
import { type Child, spawnChild } from "../../../test-support/child.mjs";

export type { Child };

/**
 * Spawns `node test/children/<script> ...args` with piped stdout (see test-support/child.mjs).
 *
 * @example
 * const c = startChild("lock-holder.mjs", [bundle, root]); await c.waitFor(/^locked/);
 */
export function startChild(script: string, args: string[]): Child {
  return spawnChild(fileURLToPath(new URL(`children/${script}`, import.meta.url)), args);
}
