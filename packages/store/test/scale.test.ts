import * as fs from "node:fs";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { encodeKey } from "../src/key-codec.js";
import { KeyStore } from "../src/node.js";
import { readGen, smallValue, tempDir } from "./helpers.js";

// 20,000 keys: opening, streaming keys() and reading a random key must not touch every key's
// metadata. fs.promises calls are counted (patched, then synced into the ESM namespace).

const N = 20_000;
const COUNTED = ["readFile", "open", "stat", "lstat", "opendir", "readdir", "realpath"] as const;
const calls = new Map<string, number>();
const originals = new Map<string, unknown>();

function startCounting(): void {
  calls.clear();
  const p = fs.promises as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of COUNTED) {
    const original = p[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    p[name] = (...args: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return original(...args);
    };
  }
  syncBuiltinESMExports();
}

function stopCounting(): Record<string, number> {
  const p = fs.promises as unknown as Record<string, unknown>;
  for (const [name, original] of originals) p[name] = original;
  originals.clear();
  syncBuiltinESMExports();
  return Object.fromEntries(calls);
}

const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

afterEach(() => {
  if (originals.size > 0) stopCounting();
});

/**
 * Fills a store with N keys fast: one real value written by KeyStore, then its file (zip) or
 * pointer (dir; every pointer names the same version) copied under each key's name.
 */
async function build(layout: "zip" | "dir"): Promise<{ root: string; keys: string[] }> {
  const root = join(tempDir("scale", true), "store");
  const ks = await KeyStore.open(root, { mode: "a", layout, sync: false });
  await ks.set("seed", smallValue(7));
  await ks.close();
  const seed = encodeKey("seed", 2);
  const source = join(root, seed.bucket, `${seed.stem}${layout === "zip" ? ".zip" : ".ptr"}`);
  const keys: string[] = [];
  for (let i = 0; i < N; i++) {
    const key = `Sym_${i}`;
    const name = encodeKey(key, 2);
    mkdirSync(join(root, name.bucket), { recursive: true });
    const target = join(root, name.bucket, `${name.stem}${layout === "zip" ? ".zip" : ".ptr"}`);
    if (layout === "zip") copyFileSync(source, target);
    else writeFileSync(target, fs.readFileSync(source));
    keys.push(key);
  }
  return { root, keys: ["seed", ...keys] };
}

describe.each(["zip", "dir"] as const)("scale: %d keys (%s layout)".replace("%d", String(N)), (layout) => {
  it("opens, streams keys() and reads a random key without reading every key's metadata", async () => {
    const { root, keys } = await build(layout);

    startCounting();
    let t = performance.now();
    const ks = await KeyStore.open(root, { mode: "r" });
    const openCalls = stopCounting();
    const openMs = performance.now() - t;
    expect(total(openCalls)).toBeLessThan(10);

    startCounting();
    t = performance.now();
    let n = 0;
    for await (const _ of ks.keys()) n++;
    const listMs = performance.now() - t;
    const listCalls = stopCounting();
    expect(n).toBe(keys.length);
    // One readdir of the root and one opendir per bucket: no file of any key is opened.
    expect(listCalls.readFile ?? 0).toBe(0);
    expect(listCalls.open ?? 0).toBe(0);
    expect(listCalls.stat ?? 0).toBe(0);
    expect(listCalls.opendir ?? 0).toBeLessThanOrEqual(256);

    startCounting();
    t = performance.now();
    const key = keys[Math.floor(Math.random() * keys.length)] as string;
    expect(await readGen(ks, key)).toBe(7);
    const getMs = performance.now() - t;
    const getCalls = stopCounting();
    expect(total(getCalls)).toBeLessThan(40);
    await ks.close();
    console.log(
      `${layout}: ${keys.length} keys; open ${openMs.toFixed(1)} ms (${total(openCalls)} fs calls), ` +
        `keys() ${listMs.toFixed(0)} ms (${total(listCalls)} fs calls), random getColumns ${getMs.toFixed(1)} ms (${total(getCalls)} fs calls)`,
    );
    expect(listMs).toBeLessThan(5000);
  });
});
