import { type LockOptions, MemoryStore, type Store, type WriterLock } from "@colz/format";
import { describe, expect, it } from "vitest";
import { KeyStore } from "../src/index.js";
import { allKeys, readGen, smallValue } from "./helpers.js";

// Crash injection for the pointer protocol (dir layout, Store backend): the Nth write to the
// store throws and the key store is abandoned as if the process died; a new writer must then
// see the state before or after the operation, and no version directory that no pointer names.

class Crash extends Error {}

/** Forwards to `inner` until `budget` writes have happened, then throws Crash on every write. */
class CrashingStore implements Store {
  readonly readOnly = false;
  readonly description = "crashing";
  budget = Number.POSITIVE_INFINITY;
  constructor(private readonly inner: MemoryStore) {}
  get = (k: string) => this.inner.get(k);
  getRange = (k: string, o: number, n: number) => this.inner.getRange(k, o, n);
  size = (k: string) => this.inner.size(k);
  has = (k: string) => this.inner.has(k);
  list = (p?: string) => this.inner.list(p);
  async set(k: string, v: Uint8Array): Promise<void> {
    this.spend();
    await this.inner.set(k, v);
  }
  async delete(k: string): Promise<void> {
    this.spend();
    await this.inner.delete(k);
  }
  async commit(): Promise<void> {
    this.spend();
  }
  async lock(_o?: LockOptions): Promise<WriterLock> {
    return { release: async () => undefined }; // a dead process's lock is stale anyway
  }
  async close(): Promise<void> {}
  private spend(): void {
    if (this.budget-- <= 0) throw new Crash("crash");
  }
}

type Op = (ks: KeyStore) => Promise<unknown>;
const OPS: Record<string, { op: Op; after: Record<string, number | undefined> }> = {
  "set new key": { op: (ks) => ks.set("n", smallValue(9)), after: { n: 9 } },
  "replace a key": { op: (ks) => ks.set("a", smallValue(9)), after: { a: 9 } },
  "set a long key": { op: (ks) => ks.set("L".repeat(300), smallValue(9)), after: { ["L".repeat(300)]: 9 } },
  delete: { op: (ks) => ks.delete("a"), after: { a: undefined } },
  "rename onto a key": { op: (ks) => ks.rename("a", "b"), after: { a: undefined, b: 1 } },
  "rename to a new key": { op: (ks) => ks.rename("a", "n"), after: { a: undefined, n: 1 } },
  "rename a long key": { op: (ks) => ks.rename("a", "M".repeat(300)), after: { a: undefined, ["M".repeat(300)]: 1 } },
};
const BEFORE = { a: 1, b: 2 };

async function state(ks: KeyStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const key of await allKeys(ks)) out[key] = (await readGen(ks, key)) as number;
  return out;
}

const canonical = (s: Record<string, number>) => JSON.stringify(Object.entries(s).sort());

/** Keys of version directories that no pointer names (should be none after recovery). */
async function orphans(store: MemoryStore): Promise<string[]> {
  const keys = await store.list();
  const pointed = new Set<string>();
  for (const k of keys.filter((k) => k.endsWith(".ptr"))) {
    pointed.add(new TextDecoder().decode(await store.get(k)).trim());
  }
  return keys.filter((k) => /\.v[0-9a-z]+\//.test(k) && !pointed.has(k.slice(0, k.indexOf("/", 3))));
}

describe("recovery after a crash at every write of an operation", () => {
  it.each(Object.keys(OPS))("%s", async (name) => {
    const { op, after } = OPS[name] as (typeof OPS)[string];
    const expected = Object.fromEntries(
      Object.entries({ ...BEFORE, ...after }).filter((e): e is [string, number] => e[1] !== undefined),
    );
    let completed = false;
    for (let budget = 0; !completed; budget++) {
      const inner = new MemoryStore();
      const crashing = new CrashingStore(inner);
      const ks = await KeyStore.open(crashing, { mode: "a" });
      for (const [k, g] of Object.entries(BEFORE)) await ks.set(k, smallValue(g));
      crashing.budget = budget;
      try {
        await op(ks);
        completed = true;
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
      }
      const reopened = await KeyStore.open(inner, { mode: "a" }); // recovers
      const seen = await state(reopened);
      if (completed) expect(seen).toEqual(expected);
      else expect([canonical(BEFORE), canonical(expected)]).toContain(canonical(seen));
      expect(await orphans(inner)).toEqual([]);
      await reopened.close();
      expect(budget).toBeLessThan(200);
    }
  });
});
