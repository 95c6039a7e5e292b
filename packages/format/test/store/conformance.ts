/**
 * The one conformance suite every Store backend runs. A target supplies factories; the suite
 * checks the behaviour the Store interface promises, identically for all backends.
 */
import { describe, expect, it } from "vitest";
import type { Store } from "../../src/store/types.js";
import { checkModel } from "./conformance-model.js";
import { BAD_KEYS, bytesOf, expectBytes, expectCode, fixtureEntries } from "./helpers.js";

export interface ConformanceTarget {
  name: string;
  /** A read-only store holding exactly `entries`. */
  createReadOnly(entries: Map<string, Uint8Array>): Promise<Store>;
  /** A fresh, empty, writable store (omit for read-only backends). */
  createWritable?(): Promise<Store>;
  /** False when list() cannot enumerate (it must then throw ERR_UNSUPPORTED). */
  canList: boolean;
  /**
   * How the store persists (omit for non-persistent stores): `reopen` closes it and opens the same
   * container again for writing; `afterReopen` says what a clean reopen shows:
   * "all-sets" = every set/delete, committed or not (directory); "last-commit" = the state as of
   * the last commit() (zip: uncommitted members are not in any central directory).
   */
  persistence?: {
    reopen(store: Store, mode: "r" | "a"): Promise<Store>;
    afterReopen: "all-sets" | "last-commit";
  };
  /** fast-check runs of the model test (default 25). */
  modelRuns?: number;
}

const enc = new TextEncoder();

function sorted(keys: Iterable<string>): string[] {
  return [...keys].sort();
}

/**
 * Registers the conformance tests of `target` (call inside a test file).
 *
 * @example
 * storeConformance({ name: "MemoryStore", canList: true, createReadOnly: ..., createWritable: ... });
 */
export function storeConformance(target: ConformanceTarget): void {
  describe(`${target.name} conformance (read)`, () => {
    const fixture = fixtureEntries();

    it("get/size/has return every value exactly; missing keys are undefined", async () => {
      const store = await target.createReadOnly(fixture);
      try {
        for (const [key, value] of fixture) {
          const got = await store.get(key);
          expectBytes(got, value, key);
          expect(await store.size(key), key).toBe(value.length);
          expect(await store.has(key), key).toBe(true);
          if (store.getSync !== undefined) expectBytes(store.getSync(key), value, key);
        }
        for (const key of ["missing", "data/__9.blp", "nope/deeper/x", "data", "deep/a", "meta/sizes/x"]) {
          expect(await store.get(key), key).toBeUndefined();
          expect(await store.size(key), key).toBeUndefined();
          expect(await store.has(key), key).toBe(false);
          expect(await store.getRange(key, 0, 10), key).toBeUndefined();
        }
      } finally {
        await store.close();
      }
    });

    it("getRange clamps to the value and rejects bad arguments", async () => {
      const store = await target.createReadOnly(fixture);
      try {
        const all = fixture.get("data/__0.blp") as Uint8Array;
        const cases: [number, number, number, number][] = [
          [0, 16, 0, 16],
          [250, 100, 250, 256],
          [255, 1, 255, 256],
          [256, 10, 256, 256],
          [1000, 10, 256, 256],
          [10, 0, 10, 10],
          [0, 256, 0, 256],
          [0, Number.MAX_SAFE_INTEGER, 0, 256],
        ];
        for (const [offset, length, from, to] of cases) {
          const got = await store.getRange("data/__0.blp", offset, length);
          expect(got, `${offset}+${length}`).toEqual(all.slice(from, to));
        }
        const big = fixture.get("data/__1.blp") as Uint8Array;
        expectBytes(await store.getRange("data/__1.blp", 54_321, 1000), big.slice(54_321, 55_321));
        expect(await store.getRange("empty", 0, 10)).toEqual(new Uint8Array(0));
        expect(await store.getRange("empty", 5, 0)).toEqual(new Uint8Array(0));
        for (const [o, l] of [
          [-1, 1],
          [0, -1],
          [1.5, 1],
          [Number.NaN, 1],
          [0, Number.POSITIVE_INFINITY],
        ] as const) {
          await expectCode(store.getRange("data/__0.blp", o, l), "ERR_BAD_ARGUMENT");
        }
      } finally {
        await store.close();
      }
    });

    it(
      target.canList ? "list is sorted by code unit and filters by prefix" : "list throws ERR_UNSUPPORTED",
      async () => {
        const store = await target.createReadOnly(fixture);
        try {
          if (!target.canList) {
            await expectCode(store.list(), "ERR_UNSUPPORTED", store.description);
            return;
          }
          const keys = sorted(fixture.keys());
          expect(await store.list()).toEqual(keys);
          expect(await store.list("")).toEqual(keys);
          expect(await store.list("data/")).toEqual(["data/__0.blp", "data/__1.blp"]);
          expect(await store.list("data/__1")).toEqual(["data/__1.blp"]);
          expect(await store.list("meta")).toEqual(["meta/sizes", "meta/storage"]);
          expect(await store.list("ключ/")).toEqual(["ключ/数据/😀.bin"]);
          expect(await store.list("deep/a/b/")).toEqual(["deep/a/b/c/d/e"]);
          expect(await store.list("nomatch")).toEqual([]);
          expect(await store.list("nomatch/")).toEqual([]);
          expect(await store.list("../")).toEqual([]);
        } finally {
          await store.close();
        }
      },
    );

    it("rejects invalid keys with ERR_BAD_KEY", async () => {
      const store = await target.createReadOnly(fixture);
      try {
        for (const key of BAD_KEYS) {
          await expectCode(store.get(key), "ERR_BAD_KEY");
          await expectCode(store.has(key), "ERR_BAD_KEY");
          await expectCode(store.size(key), "ERR_BAD_KEY");
          await expectCode(store.getRange(key, 0, 1), "ERR_BAD_KEY");
        }
        await expectCode(store.get("../x"), "ERR_BAD_KEY", '"../x"');
      } finally {
        await store.close();
      }
    });

    it("is read-only: mutations and lock throw ERR_READ_ONLY naming the store", async () => {
      const store = await target.createReadOnly(fixture);
      try {
        expect(store.readOnly).toBe(true);
        await expectCode(store.set("meta/sizes", new Uint8Array(1)), "ERR_READ_ONLY", store.description);
        await expectCode(store.set("new", new Uint8Array(1)), "ERR_READ_ONLY", "new");
        await expectCode(store.delete("meta/sizes"), "ERR_READ_ONLY", store.description);
        await expectCode(store.lock(), "ERR_READ_ONLY", store.description);
        await store.commit();
        expect(await store.get("meta/sizes")).toEqual(fixture.get("meta/sizes"));
      } finally {
        await store.close();
      }
    });

    it("throws ERR_CLOSED after close; close is idempotent", async () => {
      const store = await target.createReadOnly(fixture);
      await store.close();
      await store.close();
      await expectCode(store.get("a"), "ERR_CLOSED");
      await expectCode(store.getRange("a", 0, 1), "ERR_CLOSED");
      await expectCode(store.size("a"), "ERR_CLOSED");
      await expectCode(store.has("a"), "ERR_CLOSED");
      await expectCode(store.list(), "ERR_CLOSED");
      await expectCode(store.set("a", new Uint8Array(1)), "ERR_CLOSED");
      await expectCode(store.delete("a"), "ERR_CLOSED");
      await expectCode(store.commit(), "ERR_CLOSED");
      await expectCode(store.lock(), "ERR_CLOSED");
      if (store.getSync !== undefined) expect(() => store.getSync?.("a")).toThrow(/closed/);
    });
  });

  const createWritable = target.createWritable;
  if (createWritable === undefined) return;

  describe(`${target.name} conformance (write)`, () => {
    it("set/get/overwrite/delete/has/size/list", async () => {
      const store = await createWritable();
      try {
        expect(store.readOnly).toBe(false);
        expect(await store.list()).toEqual([]);
        await store.set("k", enc.encode("one"));
        expect(await store.get("k")).toEqual(enc.encode("one"));
        await store.set("k", bytesOf(5000, 3)); // longer
        expectBytes(await store.get("k"), bytesOf(5000, 3), "k");
        await store.set("k", enc.encode("x")); // shorter
        expect(await store.get("k")).toEqual(enc.encode("x"));
        expect(await store.size("k")).toBe(1);
        await store.set("dir/sub/v", new Uint8Array(0));
        expect(await store.get("dir/sub/v")).toEqual(new Uint8Array(0));
        expect(await store.has("dir/sub/v")).toBe(true);
        expect(await store.list()).toEqual(["dir/sub/v", "k"]);
        expect(await store.list("dir/")).toEqual(["dir/sub/v"]);
        await store.delete("k");
        await store.delete("k"); // deleting a missing key is fine
        await store.delete("never/was");
        expect(await store.get("k")).toBeUndefined();
        expect(await store.has("k")).toBe(false);
        expect(await store.size("k")).toBeUndefined();
        expect(await store.list()).toEqual(["dir/sub/v"]);
        await store.delete("dir/sub/v");
        await store.set("dir", enc.encode("now a value")); // the key space is flat once dir/sub/v is gone
        expect(await store.list()).toEqual(["dir"]);
        await store.commit();
      } finally {
        await store.close();
      }
    });

    it("stores binary, empty, large and unicode-keyed values, isolated from caller buffers", async () => {
      const store = await createWritable();
      try {
        const fixture = fixtureEntries();
        for (const [k, v] of fixture) await store.set(k, v);
        const big = bytesOf(1 << 20, 7);
        await store.set("big", big);
        for (const [k, v] of fixture) expectBytes(await store.get(k), v, k);
        expectBytes(await store.get("big"), big, "big");
        expect(await store.list()).toEqual(sorted([...fixture.keys(), "big"]));
        const mine = enc.encode("original");
        await store.set("iso", mine);
        mine[0] = 0x21;
        const got = (await store.get("iso")) as Uint8Array;
        expect(got).toEqual(enc.encode("original"));
        got[0] = 0x21;
        expect(await store.get("iso")).toEqual(enc.encode("original"));
        await store.commit();
      } finally {
        await store.close();
      }
    });

    it("rejects invalid keys and values on writes", async () => {
      const store = await createWritable();
      try {
        for (const key of BAD_KEYS) {
          await expectCode(store.set(key, new Uint8Array(1)), "ERR_BAD_KEY");
          await expectCode(store.delete(key), "ERR_BAD_KEY");
        }
        await expectCode(store.set("k", "text" as unknown as Uint8Array), "ERR_BAD_ARGUMENT");
        expect(await store.list()).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it("concurrent sets all land", async () => {
      const store = await createWritable();
      try {
        await Promise.all(Array.from({ length: 40 }, (_, i) => store.set(`c/${i}`, bytesOf(100 + i, i))));
        for (let i = 0; i < 40; i++) expectBytes(await store.get(`c/${i}`), bytesOf(100 + i, i), `c/${i}`);
        await store.commit();
      } finally {
        await store.close();
      }
    });

    it("lock() grants one holder at a time", async () => {
      const store = await createWritable();
      try {
        const first = await store.lock();
        await expectCode(store.lock(), "ERR_LOCKED");
        setTimeout(() => void first.release(), 50);
        const second = await store.lock({ waitMs: 5000 });
        await first.release(); // idempotent, does not release the second holder
        await expectCode(store.lock(), "ERR_LOCKED");
        await second.release();
        await (await store.lock()).release();
      } finally {
        await store.close();
      }
    });

    const persistence = target.persistence;
    if (persistence !== undefined) {
      it("committed data survives close and reopen", async () => {
        let store = await createWritable();
        const fixture = fixtureEntries();
        for (const [k, v] of fixture) await store.set(k, v);
        await store.commit();
        store = await persistence.reopen(store, "r");
        try {
          expect(store.readOnly).toBe(true);
          expect(await store.list()).toEqual(sorted(fixture.keys()));
          for (const [k, v] of fixture) expectBytes(await store.get(k), v, k);
        } finally {
          await store.close();
        }
      });
    }

    it("matches a Map model under random set/delete/commit/reopen sequences", async () => {
      await checkModel(createWritable, persistence, target.modelRuns ?? 25);
    });
  });
}
