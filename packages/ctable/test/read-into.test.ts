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
});
