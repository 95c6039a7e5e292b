import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fixturesRoot } from "../../../../test-support/fixtures-root.mjs";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/types.js";

export const FIXTURES = join(fixturesRoot(), "bcolz");
export const CHECKER_DIR = fixturesRoot();

export interface Vector {
  expected_bin: string;
  sha256: string;
  dtype: string;
  shape: number[];
  kind: string;
  rootdir: string;
  params: Record<string, unknown>;
  note: string;
}

export interface Manifest {
  rootdirs: string[];
  vectors: Vector[];
}

export function manifest(): Manifest {
  return JSON.parse(readFileSync(join(FIXTURES, "MANIFEST.json"), "utf8")) as Manifest;
}

export function expectedBytes(v: Vector): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, v.expected_bin)));
}

/** Every file under `dir` as [relative key, bytes], including dot-files (a MemoryStore keeps them). */
export function filesUnder(dir: string): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push([relative(dir, p).split("\\").join("/"), new Uint8Array(readFileSync(p))]);
    }
  };
  walk(dir);
  return out;
}

/** A MemoryStore holding a copy of fixture directory `name` at the root (or under `prefix`). */
export function fixtureStore(name: string, prefix = ""): MemoryStore {
  return new MemoryStore({ entries: filesUnder(join(FIXTURES, name)).map(([k, v]) => [prefix + k, v] as const) });
}

export const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

export async function setText(store: Store, key: string, s: string): Promise<void> {
  await store.set(key, bytes(s));
}

/** Writes every key of `store` as a file under a new temp directory; returns the directory. */
export async function dumpToTempDir(store: Store, tag = "colz-layout-"): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), tag));
  for (const key of await store.list()) {
    const p = join(dir, key);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, (await store.get(key))!);
  }
  return dir;
}

export function tempDir(tag = "colz-layout-"): string {
  return mkdtempSync(join(tmpdir(), tag));
}

/**
 * Runs the independent stdlib-only Python reader (fixtures/check_fixtures.py read_carray) on
 * `rootdir`, returning the bytes it decodes.
 */
export function pythonReadCArray(rootdir: string): Uint8Array {
  const script = [
    "import sys",
    `sys.path.insert(0, ${JSON.stringify(CHECKER_DIR)})`,
    "import check_fixtures",
    "sys.stdout.buffer.write(check_fixtures.read_carray(sys.argv[1]))",
  ].join("\n");
  return new Uint8Array(execFileSync("/usr/bin/python3", ["-c", script, rootdir], { maxBuffer: 1 << 28 }));
}

/** Runs a Python snippet with a JSON argument and returns its stdout. */
export function python(script: string, input = ""): string {
  return execFileSync("/usr/bin/python3", ["-c", script], { input, maxBuffer: 1 << 28 }).toString("utf8");
}

/** Asserts that `fn` rejects with a ColzError of `code` whose message contains `needle`. */
export async function expectColzError(
  fn: () => Promise<unknown> | unknown,
  code: string,
  needle?: string,
): Promise<Error> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected ${code}, but nothing was thrown`);
  const e = error as { name?: string; code?: string; message?: string };
  if (e.name !== "ColzError" || e.code !== code) {
    throw new Error(`expected ColzError ${code}, got ${e.name} ${e.code}: ${e.message}`, { cause: error });
  }
  if (needle !== undefined && !e.message?.includes(needle)) {
    throw new Error(`expected the message to contain ${JSON.stringify(needle)}: ${e.message}`);
  }
  return error as Error;
}
