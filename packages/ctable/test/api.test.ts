/**
 * The public API beyond the model tests: value conversion (Dates, casts, N-D rows, byte order),
 * attributes, cparams and sizes, reductions served from chunk statistics, scan plans, iteration,
 * where(), prefixes, and the Node path helpers (directory and single-file zip layouts).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { MemoryStore } from "@colz/format";
import { describe, expect, it } from "vitest";
import { CArray, CTable, countToDate, msToCount, NAT, toJsArray } from "../src/index.js";
import { createArray, createTable, openArray, openTable } from "../src/node.js";
import { expectCode, tempPath } from "./core/harness.js";

/** A MemoryStore that counts reads of chunk data (not of the 32-byte headers the statistics check). */
class CountingStore extends MemoryStore {
  chunkReads = 0;
  override async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    if (key.endsWith(".blp") && length > 32) this.chunkReads++;
    return super.getRange(key, offset, length);
  }
  // Scans of a MemoryStore read chunk files through the synchronous path: count those too.
  override getRangeIntoSync(key: string, offset: number, target: Uint8Array): number | undefined {
    if (key.endsWith(".blp") && target.length > 32) this.chunkReads++;
    return super.getRangeIntoSync(key, offset, target);
  }
}

describe("value conversion", () => {
  it("Dates, ISO strings and counts into datetime64 of any unit; NaT", async () => {
    const day = new Date(Date.UTC(2020, 0, 2, 12, 30));
    for (const [unit, want] of [
      ["D", 18263n],
      ["s", BigInt(day.getTime() / 1000)],
      ["ns", BigInt(day.getTime()) * 1_000_000n],
      ["M", 600n],
      ["Y", 50n],
      ["h", BigInt(Math.floor(day.getTime() / 3_600_000))],
    ] as const) {
      const a = await CArray.create(new MemoryStore(), [day, "2020-01-02T12:30:00Z", 5n, null], {
        dtype: `datetime64[${unit}]`,
      });
      expect(await a.toArray(), unit).toEqual([want, want, 5n, null]);
      expect(a.nullable).toBe(true);
    }
    expect(msToCount(-1, "s")).toBe(-1n); // floor, as NumPy
    expect(countToDate(18263n, "D").toISOString()).toBe("2020-01-02T00:00:00.000Z");
    expect(Number.isNaN(countToDate(NAT, "ns").getTime())).toBe(true);
    const inferred = await CArray.create(new MemoryStore(), [day]);
    expect(inferred.dtype.str).toBe("datetime64[ms]");
    expect((await inferred.get(0, { dates: true })) as Date).toEqual(day);
  });

  it("casts typed arrays and numbers with range checks", async () => {
    const a = await CArray.create(new MemoryStore(), new Float64Array([1, 2, 3]), { dtype: "int16" });
    expect(a.dtype.str).toBe("int16");
    expect((await a.slice()).data).toEqual(new Int16Array([1, 2, 3]));
    await a.append(new BigInt64Array([4n]));
    await a.append([true]);
    await expectCode(a.append(new Float64Array([0.5])), "ERR_BAD_ARGUMENT");
    await expectCode(a.append(new Int32Array([40000])), "ERR_BAD_ARGUMENT");
    expect(await a.toArray()).toEqual([1, 2, 3, 4, 1]);
    const u64 = await CArray.create(new MemoryStore(), [0n, 2n ** 64n - 1n], { dtype: "uint64" });
    expect(await u64.toArray()).toEqual([0n, 2n ** 64n - 1n]);
    await expectCode(u64.append([-1n]), "ERR_BAD_ARGUMENT");
    // Any iterable works; strings are values, never iterated.
    const it = await CArray.create(new MemoryStore(), new Set([1, 2]));
    await it.append(
      (function* () {
        yield 3;
      })(),
    );
    expect(await it.toArray()).toEqual([1, 2, 3]);
    await expectCode(CArray.create(new MemoryStore(), "abc" as never), "ERR_BAD_ARGUMENT");
  });

  it("infers dtypes the way the README says", async () => {
    const t = await CTable.create(new MemoryStore(), {
      f: [1, 2.5],
      i: new Int8Array([1, 2]),
      b: [true, false],
      big: [1n, 2n],
      s: ["a", null],
      bin: [new Uint8Array([1]), new Uint8Array(0)],
      nd: [new Float32Array([1, 2]), new Float32Array([3, 4])],
    });
    expect(t.schema.map((c) => `${c.name}:${c.kind}:${c.dtype}:${c.nullable}:${c.atomShape}`)).toEqual([
      "f:fixed:float64:false:",
      "i:fixed:int8:false:",
      "b:fixed:bool:false:",
      "big:fixed:int64:false:",
      "s:utf8:int64:true:",
      "bin:binary:int64:false:",
      "nd:fixed:float32:false:2",
    ]);
    expect((await t.rows(1))[0]).toEqual({
      f: 2.5,
      i: 2,
      b: false,
      big: 2n,
      s: null,
      bin: new Uint8Array(0),
      nd: new Float32Array([3, 4]),
    });
  });

  it("fixed-width strings: |S and <U, with limits", async () => {
    const t = await CTable.create(
      new MemoryStore(),
      { s: ["ab", "", "x"], u: ["日本", "", "😀"] },
      { schema: { s: "|S2", u: "<U2" } },
    );
    expect(await t.rows()).toEqual([
      { s: "ab", u: "日本" },
      { s: "", u: "" },
      { s: "x", u: "😀" },
    ]);
    expect(toJsArray(await t.readColumn("s", 0, 1), { fixedBytes: "bytes" })).toEqual([new Uint8Array([97, 98])]);
    await expectCode(t.append({ s: ["abc"], u: ["a"] }), "ERR_BAD_ARGUMENT");
    await expectCode(t.append({ s: ["a"], u: ["abc"] }), "ERR_BAD_ARGUMENT");
  });

  it("N-D columns from typed arrays or row arrays; big-endian dtypes", async () => {
    const store = new MemoryStore();
    const a = await CArray.create(store, new Float32Array([1, 2, 3, 4, 5, 6]), { atomShape: [3], chunklen: 1 });
    await a.append([[7, 8, 9], null].slice(0, 1) as never);
    expect(a.length).toBe(3);
    expect(await a.get(-1)).toEqual(new Float32Array([7, 8, 9]));
    expect([...a.atomShape]).toEqual([3]);
    const be = await CArray.create(new MemoryStore(), [1, 2, 258], { dtype: ">i4", prefix: "be" });
    expect(be.dtype.str).toBe(">i4");
    expect(await be.toArray()).toEqual([1, 2, 258]);
    await be.close();
    const raw = await (be.store as MemoryStore).get("be/meta/storage");
    expect(new TextDecoder().decode(raw)).toContain('"dtype": ">i4"');
  });
});

describe("metadata", () => {
  it("attrs persist for carrays, tables and columns", async () => {
    const store = new MemoryStore();
    const t = await CTable.create(store, { x: [1] }, { attrs: { source: "test" } });
    await t.attrs.set("n", 2n ** 60n);
    await t.attrs.update({ a: [1, 2], b: { c: null } });
    await t.attrs.delete("a");
    await t.column("x").attrs.set("unit", "USD");
    await t.close();
    const r = await CTable.open(store);
    expect(r.attrs.toJSON()).toEqual({ source: "test", n: 2n ** 60n, b: { c: null } });
    expect(r.column("x").attrs.get("unit")).toBe("USD");
    expect(r.attrs.keys()).toEqual(["source", "n", "b"]);
  });

  it("cparams, chunklen, sizes and the bcolz metadata written", async () => {
    const store = new MemoryStore();
    const values = new Float64Array(10_000).map((_, i) => Math.floor(i / 10));
    const a = await CArray.create(store, values, {
      cparams: { cname: "zstd", clevel: 7, shuffle: "bitshuffle" },
      chunklen: 1000,
    });
    expect(a.cparams).toEqual({ cname: "zstd", clevel: 7, shuffle: "bitshuffle" });
    expect(a.chunklen).toBe(1000);
    expect(a.nbytes).toBe(80_000);
    expect(a.cbytes).toBeLessThan(a.nbytes);
    expect(a.ratio).toBeGreaterThan(3);
    const storage = new TextDecoder().decode(await store.get("meta/storage"));
    expect(storage).toBe(
      '{"dtype": "float64", "cparams": {"clevel": 7, "shuffle": 2, "cname": "zstd", "quantize": 0}, "chunklen": 1000, "expectedlen": 10000, "dflt": 0.0}\n',
    );
    expect(await store.has("data/__9.blp")).toBe(true);
    expect(await store.has("data/__9.colz")).toBe(true);
    const d = await CArray.create(new MemoryStore(), { dtype: "int8" });
    expect(d.chunklen).toBe(256 * 1024); // colz's default for a carray created empty
  });
});

describe("reductions and statistics", () => {
  it("min/max come from chunk statistics without decompressing committed chunks", async () => {
    const store = new CountingStore();
    const values = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 100);
    const a = await CArray.create(store, values, { chunklen: 512 });
    await a.append([1000]); // partial chunk, not committed: decoded from memory
    store.chunkReads = 0;
    expect(await a.max()).toBe(1000);
    expect(await a.min()).toBe(Math.min(...values));
    expect(store.chunkReads).toBe(0);
    expect(await a.sum()).toBeCloseTo(
      values.reduce((s, x) => s + x, 1000),
      6,
    );
    expect(await a.mean()).toBeCloseTo((values.reduce((s, x) => s + x, 0) + 1000) / 5001, 9);
    expect(store.chunkReads).toBeGreaterThan(0);
    const n = await CArray.create(new MemoryStore(), [1, null, Number.NaN, 3], { chunklen: 2 });
    expect(await n.max()).toBeNaN();
    const empty = await CArray.create(new MemoryStore(), { dtype: "int64" });
    expect(await empty.min()).toBeUndefined();
    expect(await empty.sum()).toBe(0n);
    await expectCode(
      CArray.create(new MemoryStore(), ["a"]).then((s) => s.sum()),
      "ERR_BAD_ARGUMENT",
    );
  });

  it("scanPlan cuts at every column's chunk boundary and reports exact counts per chunk", async () => {
    const t = await CTable.create(
      new MemoryStore(),
      { a: Int32Array.from({ length: 25 }, (_, i) => i), b: [1.5, null, ...new Array(23).fill(2)] },
      { columnOptions: { a: { chunklen: 10 }, b: { chunklen: 4 } } },
    );
    const steps = await t.scanPlan(["a", "b"], 0, t.length);
    const cuts = steps.map((s) => s.start);
    expect(cuts).toEqual([0, 4, 8, 10, 12, 16, 20, 24]);
    expect(steps[0]!.stats.a).toEqual({ min: 0, max: 9 });
    expect(steps[0]!.stats.b).toEqual({ min: 1.5, max: 2, nullCount: 1, nanCount: 0 });
    const only = await t.scanPlan(["a"], 5, 25);
    expect(only.map((s) => [s.start, s.stop])).toEqual([
      [5, 10],
      [10, 20],
      [20, 25],
    ]);
    expect(only[1]!.stats.a).toEqual({ min: 10, max: 19, nullCount: 0, nanCount: 0 });
    await t.append({ a: [100], b: [0] });
    const tail = await t.scanPlan(["a"], 20, t.length);
    expect(tail[0]!.stats.a).toBeUndefined(); // the writer's partial chunk has no statistics yet
  });
});

describe("reading", () => {
  it("iterates chunks, batches and rows; where() with columns and limit", async () => {
    const t = await CTable.create(
      new MemoryStore(),
      {
        price: Float64Array.from({ length: 100 }, (_, i) => i),
        sym: Array.from({ length: 100 }, (_, i) => (i % 2 ? "AAPL" : "MSFT")),
      },
      { chunklen: 16 },
    );
    const a = t.column("price");
    let seen = 0;
    for await (const c of a.iterChunks()) {
      expect(c.values.length).toBe(c.stop - c.start);
      seen += c.values.length;
    }
    expect(seen).toBe(100);
    let batches = 0;
    for await (const b of t.iterBatches({ batchSize: 30, columns: ["sym"] })) {
      expect(Object.keys(b.columns)).toEqual(["sym"]);
      batches++;
    }
    expect(batches).toBe(4);
    const rows = [];
    for await (const r of t.iter({ start: 98 })) rows.push(r);
    expect(rows).toEqual([
      { price: 98, sym: "MSFT" },
      { price: 99, sym: "AAPL" },
    ]);
    const all = [];
    for await (const x of a) all.push(x);
    expect(all.length).toBe(100);
    const sel = await t.where('(price > 10) & (sym == "AAPL")', { columns: ["price"], limit: 3 });
    expect(Array.from(sel.indices)).toEqual([11, 13, 15]);
    expect(toJsArray(sel.columns.price!)).toEqual([11, 13, 15]);
    expect(Object.keys(sel.columns)).toEqual(["price"]);
    let batchRows = 0;
    for await (const s of t.iterWhere("price >= 50")) batchRows += s.length;
    expect(batchRows).toBe(50);
    expect((await t.slice(0, 2, 1, { columns: ["sym"] })).sym?.length).toBe(2);
    expect(await t.rows(-1, -3, -1)).toEqual([
      { price: 99, sym: "AAPL" },
      { price: 98, sym: "MSFT" },
    ]);
  });

  it("where() skips chunks whose statistics rule them out", async () => {
    const store = new CountingStore();
    const x = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const t = await CTable.create(store, { x, y: Int32Array.from(x, (v) => v % 7) }, { chunklen: 1000 });
    store.chunkReads = 0;
    expect((await t.where("x > 1e9")).length).toBe(0);
    expect(store.chunkReads).toBe(0);
    const sel = await t.where("(x >= 9500) & (y == 3)");
    expect(Array.from(sel.indices)).toEqual(Array.from(x.filter((v) => v >= 9500 && v % 7 === 3)));
    expect(store.chunkReads).toBeLessThanOrEqual(2); // only the last chunk of x and of y
    await t.close();
  });

  it("get() decodes a chunk once for consecutive reads", async () => {
    const store = new CountingStore();
    const a = await CArray.create(
      store,
      Float64Array.from({ length: 4000 }, (_, i) => i),
      { chunklen: 1000 },
    );
    store.chunkReads = 0;
    for (let i = 1000; i < 1100; i++) expect(await a.get(i)).toBe(i);
    expect(store.chunkReads).toBe(1);
  });

  it("several containers share one store under prefixes", async () => {
    const store = new MemoryStore();
    const t1 = await CTable.create(store, { x: [1] }, { prefix: "tables/t1" });
    await t1.close();
    const t2 = await CTable.create(store, { y: ["a"] }, { prefix: "tables/t2/" });
    await t2.close();
    const arr = await CArray.create(store, [true], { prefix: "arr" });
    await arr.close();
    expect(await (await CTable.open(store, { prefix: "tables/t1" })).rows()).toEqual([{ x: 1 }]);
    expect(await (await CTable.open(store, { prefix: "tables/t2" })).rows()).toEqual([{ y: "a" }]);
    expect(await (await CArray.open(store, { prefix: "arr" })).toArray()).toEqual([true]);
    await expectCode(CTable.open(store, { prefix: "../x" }), "ERR_BAD_KEY");
  });
});

describe("node helpers", () => {
  it("directory by default, zip for *.zip or layout: 'zip'", async () => {
    const dir = tempPath(".bcolz");
    const t = await createTable(dir, [{ name: "id", dtype: "int64" }]);
    await t.append({ id: [1n, 2n] });
    await t.close();
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(existsSync(`${dir}/__rootdirs__`)).toBe(true);
    expect(existsSync(`${dir}/id/meta/sizes`)).toBe(true);

    const zip = tempPath(".zip");
    const z = await createTable(zip, { v: ["a", null] });
    await z.close();
    expect(readFileSync(zip).subarray(0, 2).toString()).toBe("PK");
    expect(await (await openTable(zip)).rows()).toEqual([{ v: "a" }, { v: null }]);

    const single = tempPath(".colz");
    const s = await createArray(single, new Int16Array([7]), { layout: "zip" });
    await s.close();
    expect(readFileSync(single).subarray(0, 2).toString()).toBe("PK");
    const back = await openArray(single, { layout: "zip" });
    expect(await back.toArray()).toEqual([7]);
    await back.close();

    await expectCode(openTable(tempPath()), "ERR_NOT_FOUND");
    await expectCode(createTable(dir, { id: [1n] }), "ERR_BAD_ARGUMENT");
    const w = await createTable(dir, { other: [1] }, { mode: "w" });
    expect(w.columnNames).toEqual(["other"]);
    await w.close();
  });
});
