import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStore, type Store } from "@colz/format";
import { DirectoryStore, ZipStore } from "@colz/format/node";
import { afterAll, expect } from "vitest";

/** A store backend under test: how to make one, reopen it read-only, and copy it as if the process crashed now. */
export interface Backend {
  name: string;
  /** A fresh writable store. */
  make(): Promise<Store>;
  /** A separate read-only view of the same data (another process's reader). */
  reader(store: Store): Promise<Store>;
}

let tmpRoot: string | undefined;
let counter = 0;

/** A new path in this test file's temp directory (removed after the file's tests). */
export function tempPath(suffix = ""): string {
  if (tmpRoot === undefined) {
    tmpRoot = mkdtempSync(join(tmpdir(), "colz-ctable-test-"));
    const root = tmpRoot;
    afterAll(() => rmSync(root, { recursive: true, force: true }));
  }
  return join(tmpRoot, `s${counter++}${suffix}`);
}

const paths = new WeakMap<Store, string>();

export const memoryBackend: Backend = {
  name: "memory",
  make: async () => new MemoryStore(),
  // A MemoryStore holds every set at once; a reader on the same object sees what a crash would leave.
  reader: async (s) => s,
};

export const directoryBackend: Backend = {
  name: "directory",
  make: async () => {
    const p = tempPath();
    const s = await DirectoryStore.open(p, { mode: "a", sync: false });
    paths.set(s, p);
    return s;
  },
  reader: async (s) => DirectoryStore.open(paths.get(s)!, { mode: "r" }),
};

export const zipBackend: Backend = {
  name: "zip",
  make: async () => {
    const p = tempPath(".zip");
    const s = await ZipStore.open(p, { mode: "a", sync: false });
    paths.set(s, p);
    return s;
  },
  reader: async (s) => ZipStore.open(paths.get(s)!, { mode: "r" }),
};

/**
 * A MemoryStore holding a copy of every key of `store` now: what a process killed at this
 * instant would leave in a key-value store where every set is atomic.
 */
export async function crashCopy(store: Store): Promise<MemoryStore> {
  const entries: [string, Uint8Array][] = [];
  for (const k of await store.list()) entries.push([k, (await store.get(k))!]);
  return new MemoryStore({ entries });
}

/** Expects `p` to reject with a ColzError of `code`. */
export async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  let err: unknown;
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeDefined();
  expect((err as { code?: string }).code, String(err)).toBe(code);
}
