import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStore } from "@colz/format";
import { afterAll } from "vitest";
import { KeyStore, type KeyStoreOptions } from "../src/node.js";

/** The ways a key store can be kept; every behavioural test runs on each. */
export type Backing = "zip" | "dir" | "memory";
export const BACKINGS: readonly Backing[] = ["zip", "dir", "memory"];

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/**
 * A fresh temp directory, removed after the file's tests. `memory` puts it on /dev/shm when that
 * exists: for tests that create tens of thousands of files, whose point is not the disk.
 */
export function tempDir(tag = "ks", memory = false): string {
  const base = memory && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const dir = mkdtempSync(join(base, `colz-store-${tag}-`));
  roots.push(dir);
  return dir;
}

/** Where a key store lives: a path (zip/dir layouts) or a MemoryStore (the Store backend). */
export interface Place {
  backing: Backing;
  target: string | MemoryStore;
}

/** A new, empty place for a key store of `backing`. */
export function newPlace(backing: Backing): Place {
  if (backing === "memory") return { backing, target: new MemoryStore() };
  return { backing, target: join(tempDir(backing), "store") };
}

/** Opens the key store at `place` (layout chosen by the backing). */
export function openAt(place: Place, options: KeyStoreOptions = {}): Promise<KeyStore> {
  const layout = place.backing === "memory" ? undefined : place.backing;
  return KeyStore.open(place.target, { layout, sync: false, ...options });
}

/** A small two-column value whose content is determined by `g`. */
export function smallValue(g: number, rows = 1 + (g % 5)): { g: BigInt64Array; f: Float64Array } {
  const f = new Float64Array(rows);
  for (let i = 0; i < rows; i++) f[i] = g + i / 8;
  return { g: new BigInt64Array(rows).fill(BigInt(g)), f };
}

/** The generation stored under `key` (checked to be a complete smallValue), or undefined. */
export async function readGen(ks: KeyStore, key: string): Promise<number | undefined> {
  const cols = await ks.getColumns(key);
  if (cols === undefined) return undefined;
  const g = cols.g as BigInt64Array;
  const f = cols.f as Float64Array;
  const gen = Number(g[0]);
  const want = smallValue(gen);
  if (g.length !== want.g.length || f.some((v, i) => v !== want.f[i])) throw new Error(`torn value under ${key}`);
  return gen;
}

/** All keys, collected and sorted. */
export async function allKeys(ks: KeyStore): Promise<string[]> {
  const out: string[] = [];
  for await (const k of ks.keys()) out.push(k);
  return out.sort();
}
