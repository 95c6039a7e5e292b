/**
 * Crash tests with real processes: a child writes generations (data keys, then the commit-point
 * key "meta/commit", with commit() around it, printing "committed N") and is SIGKILLed at a
 * random moment, again and again on the same store. After every kill the store must open, and
 * show generation G with lastPrinted <= G <= lastPrinted + 1, every data key of G intact, and
 * no torn value anywhere. (SIGKILL loses the process, not the page cache: this exercises every
 * interleaving of our own writes, not power loss; fsync ordering is argued in the sources.)
 */
import { describe, expect, inject, it } from "vitest";
import { DirectoryStore } from "../../src/store/directory-store.js";
import type { Store } from "../../src/store/types.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { startChild } from "./child.js";
import { expectBytes, tempArea } from "./helpers.js";

interface CrashValues {
  valueFor(gen: number, key: string): Uint8Array;
  generationOf(value: Uint8Array): number;
  dataKeys(gen: number): string[];
}

const tmp = tempArea("crash");
const ITERATIONS = 25;

async function verify(
  store: Store,
  kind: "dir" | "zip",
  floor: number,
  ceiling: number,
  v: CrashValues,
): Promise<number> {
  const point = await store.get("meta/commit");
  const gen = point === undefined ? 0 : v.generationOf(point);
  expect(gen, `visible generation (last reported ${floor})`).toBeGreaterThanOrEqual(floor);
  expect(gen).toBeLessThanOrEqual(ceiling);
  if (point !== undefined) expectBytes(point, v.valueFor(gen, "meta/commit"), "meta/commit");
  if (gen > 0) for (const key of v.dataKeys(gen)) expectBytes(await store.get(key), v.valueFor(gen, key), key);
  // The writer commits once before the commit point, so "data/shared" may already hold G + 1.
  const shared = await store.get("data/shared");
  if (gen > 0) expect(shared).toBeDefined();
  const sharedGen = shared === undefined ? gen : v.generationOf(shared);
  expect([gen, gen + 1]).toContain(sharedGen);
  if (kind === "zip" && sharedGen === gen + 1) {
    // A zip commit is atomic: the first commit of G + 1 made all of its data keys visible together.
    for (const key of v.dataKeys(gen + 1)) expectBytes(await store.get(key), v.valueFor(gen + 1, key), key);
  }
  for (const key of await store.list()) {
    const value = (await store.get(key)) as Uint8Array;
    const g = v.generationOf(value);
    expectBytes(value, v.valueFor(g, key), `${key} (generation ${g}) is torn`);
    expect(g, key).toBeLessThanOrEqual(gen + 1);
  }
  return gen;
}

describe.each(["dir", "zip"] as const)("crash safety of the %s store (SIGKILL)", (kind) => {
  it(`survives ${ITERATIONS} kills at random moments`, async () => {
    const bundle = inject("colzStoresBundle");
    const v = (await import(new URL("crash-values.mjs", import.meta.url).href)) as CrashValues;
    const path = tmp.next(kind === "zip" ? ".zip" : "");
    let visible = 0;
    let reported = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const child = startChild("crash-writer.mjs", [bundle, kind, path]);
      const ready = await child.waitFor(/^ready /);
      expect(Number(ready.split(" ")[1]), "the child resumes from the visible generation").toBe(visible);
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      child.proc.kill("SIGKILL");
      await child.exited;
      for (const line of child.lines) if (line.startsWith("committed ")) reported = Number(line.slice(10));
      expect(child.stderr()).toBe("");
      const store = kind === "zip" ? await ZipStore.open(path) : await DirectoryStore.open(path);
      try {
        visible = await verify(store, kind, Math.max(reported, visible), Math.max(reported, visible) + 1, v);
      } finally {
        await store.close();
      }
    }
    expect(visible, "some generations were committed").toBeGreaterThan(0);
  });
});
