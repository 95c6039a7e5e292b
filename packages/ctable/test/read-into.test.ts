import { isColzError, MemoryStore } from "@colz/format";
import { describe, expect, it } from "vitest";
import { CArray } from "../src/carray/carray.js";
import { CTable } from "../src/ctable/ctable.js";

// Scans that reuse the caller's buffer: no fresh memory per read.

describe("reading into a caller's buffer", () => {
  it("readColumn({ out }) decodes a fixed column into the given array, across chunks and leftovers", async () => {
    const price = Float64Array.from({ length: 10_007 }, (_, i) => i * 0.25);
    const t = await CTable.create(
      new MemoryStore(),
      { price, id: Int32Array.from(price, (_, i) => i) },
      { chunklen: 1000 },
    );
    const out = new Float64Array(20_000).fill(-1);
    const v = await t.readColumn("price", 3, 9_999, { out });
    expect(v.kind).toBe("fixed");
    if (v.kind !== "fixed") return;
    expect(v.data.buffer).toBe(out.buffer);
    expect(Array.from(v.data as Float64Array)).toEqual(Array.from(price.subarray(3, 9_999)));
    expect(out[9_996]).toBe(-1); // nothing written past the rows read
    const ids = new Int32Array(new ArrayBuffer(4 * 101 + 4), 4, 101);
    const w = await t.readColumn("id", 0, 101, { out: ids });
    expect(w.kind === "fixed" && w.data.buffer).toBe(ids.buffer);
    expect(Array.from(ids)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    await t.close();
  });

  it("rejects a buffer that is too small or misaligned, naming the problem", async () => {
    const a = await CArray.create(new MemoryStore(), new Float64Array(100));
    await expect(a.readValues(0, 100, { out: new Float64Array(99) })).rejects.toSatisfy(
      (e: unknown) => isColzError(e, "ERR_BAD_ARGUMENT") && /holds 792 bytes, 800 needed/.test((e as Error).message),
    );
    const misaligned = new Uint8Array(new ArrayBuffer(808), 4, 800);
    await expect(a.readValues(0, 100, { out: misaligned })).rejects.toSatisfy((e: unknown) =>
      isColzError(e, "ERR_BAD_ARGUMENT"),
    );
    await a.close();
  });

  it("a writer's scans see every append, before and after commits, with sidecars cached per snapshot", async () => {
    const store = new MemoryStore();
    const t = await CTable.create(store, { x: new Float64Array(0) }, { chunklen: 1000 });
    const model: number[] = [];
    const out = new Float64Array(6000);
    for (const [n, flush] of [
      [1500, true],
      [700, false],
      [1300, true],
      [999, true],
      [1, false],
    ] as const) {
      const batch = Float64Array.from({ length: n }, (_, k) => (model.length + k) * 1.5 + 0.01);
      await t.append({ x: batch });
      model.push(...batch);
      if (flush) await t.flush();
      // a full scan, then the same into a reused buffer: both must see the rows just appended
      const v = await t.readColumn("x", 0, model.length);
      expect(v.kind === "fixed" && Array.from(v.data as Float64Array)).toEqual(model);
      await t.readColumn("x", 0, model.length, { out });
      expect(Array.from(out.subarray(0, model.length))).toEqual(model);
    }
    await t.close();
    // a reader (its own snapshot) sees what was committed, and damage to a chunk it already
    // read (sidecar cached) is still reported
    const r = await CTable.open(store);
    expect(r.length).toBe(model.length);
    await r.readColumn("x", 0, r.length, { out });
    expect(Array.from(out.subarray(0, r.length))).toEqual(model);
    const key = "x/data/__1.blp";
    const f = (await store.get(key))!;
    f[f.length - 2]! ^= 0x40;
    await store.set(key, f);
    await expect(r.readColumn("x", 0, r.length, { out })).rejects.toSatisfy(
      (e: unknown) => isColzError(e, "ERR_CORRUPT_CHUNK") && /x\/data\/__1\.blp/.test((e as Error).message),
    );
    await r.close();
  });
});
