import { compress, ready, xxh64 } from "@colz/blosc-wasm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDtype } from "../../src/dtype/dtype.js";
import { CArrayAppender } from "../../src/layout/carray-appender.js";
import { CArrayReader } from "../../src/layout/carray-reader.js";
import { CArrayWriter } from "../../src/layout/carray-writer.js";
import { encodeChunkFile } from "../../src/layout/chunk-file.js";
import {
  chunkStatsKey,
  computeChunkStats,
  encodeChunkStats,
  parseChunkStats,
} from "../../src/layout/extensions/chunk-stats.js";
import { encodeColzMeta, parseColzMeta, readColzMeta } from "../../src/layout/extensions/colz-meta.js";
import {
  countNulls,
  createNullableCArray,
  openNullableAppender,
  openValidity,
  validityPrefix,
} from "../../src/layout/extensions/validity.js";
import { createVarlenCArray, VarlenAppender, VarlenReader, valuesPrefix } from "../../src/layout/extensions/varlen.js";
import { crc32, crc32Portable } from "../../src/store/crc32.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { bytes, expectColzError, setText, text } from "./helpers.js";

beforeAll(async () => {
  await ready();
});

describe("crc32", () => {
  it("the portable tables agree with the native path on any bytes and split points", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(), (data, cut) => {
        const at = cut % (data.length + 1);
        expect(crc32Portable(data)).toBe(crc32(data));
        expect(crc32Portable(data.subarray(at), crc32Portable(data.subarray(0, at)))).toBe(crc32(data));
      }),
      { numRuns: 200 },
    );
    expect(crc32Portable(bytes("123456789"))).toBe(0xcbf43926);
  });

  it("IEEE check value and chaining", () => {
    expect(crc32(bytes("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const a = bytes("hello ");
    const b = bytes("world");
    expect(crc32(b, crc32(a))).toBe(crc32(bytes("hello world")));
  });
});

describe("chunk sidecars (data/__N.colz)", () => {
  it("written with each chunk: xxh64, cbytes, rows, min/max; exact JSON", async () => {
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "", { dtype: "int32", chunklen: 4 });
    await w.writeChunk(0, new Uint8Array(new Int32Array([5, -3, 9, 0]).buffer));
    await w.commit(4);
    const blp = (await s.get("data/__0.blp"))!;
    const chunk = blp.subarray(16);
    expect(text(await s.get("data/__0.colz"))).toBe(
      `{"xxh64": "${xxh64(chunk).toString(16).padStart(16, "0")}", "cbytes": ${chunk.length}, "nbytes": 16, "rows": 4, "nulls": 0, "nans": 0, "min": -3, "max": 9}\n`,
    );
    const r = await CArrayReader.open(s, "");
    expect(await r.readChunkStats(0)).toEqual({
      xxh64: xxh64(chunk),
      cbytes: chunk.length,
      nbytes: 16,
      rows: 4,
      nulls: 0,
      nans: 0,
      min: -3,
      max: 9,
    });
    expect(text(await s.get("meta/colz"))).toBe(
      '{"format": "colz", "version": 1, "logicalType": "int32", "nullable": false, "chunkStats": true}\n',
    );
  });

  it("a corrupted chunk fails its checksum even when it still decodes (MEMCPYED)", async () => {
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "c/", { dtype: "uint8", chunklen: 8, cparams: { clevel: 0 } });
    await w.writeChunk(0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    await w.commit(8);
    const f = (await s.get("c/data/__0.blp"))!;
    f[f.length - 1]! ^= 1; // raw payload byte: Blosc cannot notice
    await s.set("c/data/__0.blp", f);
    const r = await CArrayReader.open(s, "c/");
    await expectColzError(() => r.readChunk(0), "ERR_CORRUPT_CHUNK", "c/data/__0.blp: XXH64");
    const unchecked = await CArrayReader.open(s, "c/", { verifyChecksums: false });
    expect([...(await unchecked.readChunk(0))]).toEqual([1, 2, 3, 4, 5, 6, 7, 9]);
    // a missing sidecar just means no stats
    await s.delete("c/data/__0.colz");
    expect(await r.readChunkStats(0)).toBeUndefined();
    expect((await r.readChunk(0)).length).toBe(8);
    // a malformed sidecar is corrupt metadata naming it
    await setText(s, "c/data/__0.colz", "{");
    await expectColzError(() => r.readChunk(0), "ERR_CORRUPT_META", "c/data/__0.colz");
  });

  it("sidecars of earlier colz versions (CRC-32) are still verified; both checksums are when both are there", async () => {
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "c/", { dtype: "uint8", chunklen: 8, cparams: { clevel: 0 } });
    await w.writeChunk(0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    await w.commit(8);
    const file = (await s.get("c/data/__0.blp"))!;
    const chunk = file.subarray(16);
    const tail = `"cbytes": ${chunk.length}, "nbytes": 8, "rows": 8, "nulls": 0, "nans": 0, "min": 1, "max": 8}\n`;
    const hex = xxh64(chunk).toString(16).padStart(16, "0");
    const crc = crc32(chunk);
    const cases = [
      { sidecar: `{"crc32": ${crc}, ${tail}`, sound: true, message: "CRC-32" },
      { sidecar: `{"xxh64": "${hex}", "crc32": ${crc}, ${tail}`, sound: true, message: "XXH64" },
      { sidecar: `{"xxh64": "${hex}", "crc32": ${(crc ^ 1) >>> 0}, ${tail}`, sound: false, message: "CRC-32 0x" },
    ];
    for (const c of cases) {
      await setText(s, "c/data/__0.colz", c.sidecar);
      await s.set("c/data/__0.blp", file);
      const r = await CArrayReader.open(s, "c/");
      if (!c.sound) {
        await expectColzError(() => r.readChunk(0), "ERR_CORRUPT_CHUNK", c.message);
        continue;
      }
      expect([...(await r.readChunk(0))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const damaged = file.slice();
      damaged[damaged.length - 1]! ^= 1; // raw payload byte: Blosc cannot notice
      await s.set("c/data/__0.blp", damaged);
      const fresh = await CArrayReader.open(s, "c/");
      await expectColzError(() => fresh.readChunk(0), "ERR_CORRUPT_CHUNK", c.message);
    }
  });

  it("a sidecar left stale by a foreign writer (bcolz append) is ignored: no error, no stats", async () => {
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "", { dtype: "uint8", chunklen: 8 });
    await w.writeChunk(0, new Uint8Array([1, 2, 3, 4]));
    await w.commit(4);
    // what bcolz's append + flush does: rewrite the leftover chunk file and meta/sizes, nothing else
    await s.set("data/__0.blp", encodeChunkFile(compress(new Uint8Array([1, 2, 3, 4, 5, 6]), { typesize: 1 })));
    await setText(s, "meta/sizes", '{"shape": [6], "nbytes": 6, "cbytes": 8}\n');
    const r = await CArrayReader.open(s, "");
    expect([...(await r.readAll())]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await r.readChunkStats(0)).toBeUndefined();
    expect(await s.has("data/__0.colz")).toBe(true);
  });

  it("64-bit stats (compared word by word) equal a BigInt reference: int64, uint64, datetime64 with NaT, nulls", () => {
    const reference = (v: BigInt64Array | BigUint64Array, timeLike: boolean, valid?: Uint8Array) => {
      let min: bigint | null = null;
      let max: bigint | null = null;
      let nans = 0;
      for (let k = 0; k < v.length; k++) {
        const x = v[k] as bigint;
        if (valid !== undefined && valid[k] === 0) continue;
        if (timeLike && x === -(2n ** 63n)) {
          nans++;
          continue;
        }
        if (min === null || x < min) min = x;
        if (max === null || x > max) max = x;
      }
      return { min, max, nans };
    };
    const word = fc.oneof(
      fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n),
      fc.constantFrom(0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 32n, -(2n ** 32n), 2n ** 31n),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.boolean(), (xs, withNulls) => {
        const valid = withNulls ? new Uint8Array(xs.map((_, k) => k % 3)) : undefined;
        for (const str of ["int64", "uint64", "datetime64[ns]"]) {
          const dtype = parseDtype(str);
          const v = str === "uint64" ? BigUint64Array.from(xs, (x) => BigInt.asUintN(64, x)) : BigInt64Array.from(xs);
          const got = computeChunkStats(new Uint8Array(1), new Uint8Array(v.buffer), dtype, 1, valid);
          expect({ min: got.min, max: got.max, nans: got.nans }).toEqual(reference(v, str.startsWith("d"), valid));
        }
      }),
    );
  });

  it("float64 stats (the two-lane loop) equal a plain reference: NaN, infinities, odd lengths, nulls", () => {
    const reference = (v: Float64Array, valid?: Uint8Array) => {
      let min: number | null = null;
      let max: number | null = null;
      let nans = 0;
      for (let k = 0; k < v.length; k++) {
        const x = v[k] as number;
        if (valid !== undefined && valid[k] === 0) continue;
        if (Number.isNaN(x)) {
          nans++;
          continue;
        }
        if (min === null || x < min) min = x;
        if (max === null || x > max) max = x;
      }
      return { min, max, nans };
    };
    const value = fc.oneof(
      fc.double(),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1, 1e300),
    );
    const f8 = parseDtype("float64");
    fc.assert(
      fc.property(fc.array(value, { maxLength: 41 }), fc.boolean(), (xs, withNulls) => {
        const v = Float64Array.from(xs);
        const valid = withNulls ? new Uint8Array(xs.map((_, k) => k % 3)) : undefined;
        const got = computeChunkStats(new Uint8Array(1), new Uint8Array(v.buffer), f8, 1, valid);
        const want = reference(v, valid);
        // -0 and 0 are equal as statistics (comparisons cannot tell them apart)
        expect({ min: got.min === 0 ? 0 : got.min, max: got.max === 0 ? 0 : got.max, nans: got.nans }).toEqual({
          min: want.min === 0 ? 0 : want.min,
          max: want.max === 0 ? 0 : want.max,
          nans: want.nans,
        });
      }),
    );
  });

  it("stats per dtype: NaN excluded and counted, 64-bit as decimal strings, NaT, bool, strings", async () => {
    const f8 = parseDtype("float64");
    const rows = new Uint8Array(new Float64Array([2.5, Number.NaN, -1, Infinity]).buffer);
    const st = computeChunkStats(new Uint8Array([1, 2]), rows, f8, 1);
    expect(st).toMatchObject({ rows: 4, nans: 1, min: -1, max: Infinity });
    expect(text(encodeChunkStats(st, f8))).toContain('"nans": 1, "min": -1.0, "max": Infinity}');
    const allNaN = computeChunkStats(
      new Uint8Array(1),
      new Uint8Array(new Float32Array([Number.NaN]).buffer),
      parseDtype("float32"),
      1,
    );
    expect(allNaN).toMatchObject({ min: null, max: null, nans: 1 });
    const i8 = parseDtype("int64");
    const big = computeChunkStats(
      new Uint8Array(1),
      new Uint8Array(new BigInt64Array([2n ** 62n, -(2n ** 63n)]).buffer),
      i8,
      1,
    );
    expect(text(encodeChunkStats(big, i8))).toContain('"min": "-9223372036854775808", "max": "4611686018427387904"');
    expect(parseChunkStats(encodeChunkStats(big, i8), "k", i8)).toEqual(big);
    const m8 = parseDtype("datetime64[ns]");
    const nat = computeChunkStats(
      new Uint8Array(1),
      new Uint8Array(new BigInt64Array([5n, -(2n ** 63n)]).buffer),
      m8,
      1,
    );
    expect(nat).toMatchObject({ min: 5n, max: 5n, nans: 1 });
    const b = computeChunkStats(new Uint8Array(1), new Uint8Array([0, 1, 1]), parseDtype("bool"), 1);
    expect(b).toMatchObject({ min: 0, max: 1 });
    const s7 = computeChunkStats(new Uint8Array(1), new Uint8Array(14), parseDtype("|S7"), 1);
    expect(s7).toMatchObject({ rows: 2, min: null, max: null });
    const nulls = computeChunkStats(
      new Uint8Array(1),
      new Uint8Array(new Int16Array([100, -5, 7]).buffer),
      parseDtype("int16"),
      1,
      new Uint8Array([0, 1, 1]),
    );
    expect(nulls).toMatchObject({ nulls: 1, min: -5, max: 7 });
    const atoms = computeChunkStats(
      new Uint8Array(1),
      new Uint8Array(new Int8Array([1, 2, -9, 9]).buffer),
      parseDtype("int8"),
      2,
      new Uint8Array([1, 0]),
    );
    expect(atoms).toMatchObject({ rows: 2, nulls: 1, min: 1, max: 2 });
    await expectColzError(
      () => parseChunkStats(bytes('{"crc32": -1}'), "d/__1.colz", i8),
      "ERR_CORRUPT_META",
      "d/__1.colz",
    );
    const rest = '"cbytes": 1, "nbytes": 1, "rows": 1, "nulls": 0, "nans": 0, "min": 5, "max": 6}';
    await expectColzError(
      () => parseChunkStats(bytes(`{${rest}`), "d/__2.colz", i8),
      "ERR_CORRUPT_META",
      "no checksum",
    );
    for (const bad of ['"ABCDEF0123456789"', '"abc"', "12", '"0x0123456789abcd"']) {
      await expectColzError(
        () => parseChunkStats(bytes(`{"xxh64": ${bad}, ${rest}`), "d/__3.colz", i8),
        "ERR_CORRUPT_META",
        'd/__3.colz: "xxh64" must be',
      );
    }
    await expectColzError(
      () =>
        parseChunkStats(
          bytes('{"crc32": 1, "cbytes": 1, "nbytes": 8, "rows": 1, "nulls": 0, "nans": 0, "min": 5, "max": 6}'),
          "k",
          i8,
        ),
      "ERR_CORRUPT_META",
      '"min"',
    );
  });

  it("stats match a model for random float32/int64 appends", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.float({ noDefaultInfinity: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 16 }),
        async (xs, L) => {
          const s = new MemoryStore();
          const a = await CArrayAppender.open(await CArrayWriter.create(s, "", { dtype: "float32", chunklen: L }));
          await a.append(new Uint8Array(new Float32Array(xs).buffer));
          await a.flush();
          const r = await CArrayReader.open(s, "");
          for (let i = 0; i < r.nchunks; i++) {
            const part = Array.from(new Float32Array(xs)).slice(i * L, (i + 1) * L);
            const finite = part.filter((x) => !Number.isNaN(x));
            const st = (await r.readChunkStats(i))!;
            expect(st.rows).toBe(part.length);
            expect(st.nans).toBe(part.length - finite.length);
            expect(st.min).toBe(finite.length ? Math.min(...finite) : null);
            expect(st.max).toBe(finite.length ? Math.max(...finite) : null);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("rewriting a chunk replaces its sidecar; writers with stats off remove stale ones", async () => {
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "", { dtype: "uint8", chunklen: 4 });
    await w.writeChunk(0, new Uint8Array([1, 2]));
    await w.commit(2);
    await w.writeChunk(0, new Uint8Array([1, 2, 200]));
    await w.commit(3);
    expect((await (await CArrayReader.open(s, "")).readChunkStats(0))!.max).toBe(200);
    const w2 = await CArrayWriter.open(s, "", { chunkStats: false });
    await w2.writeChunk(0, new Uint8Array([1, 2, 200, 7]));
    await w2.commit(4);
    expect(await s.has(chunkStatsKey("", 0))).toBe(false);
    expect((await (await CArrayReader.open(s, "")).readChunk(0)).length).toBe(4);
  });
});

describe("meta/colz marker", () => {
  it("round trip, unknown keys ignored, newer versions refused", async () => {
    const b = encodeColzMeta({ logicalType: "utf8", nullable: true, chunkStats: false });
    expect(parseColzMeta(b, "k")).toEqual({
      format: "colz",
      version: 1,
      logicalType: "utf8",
      nullable: true,
      chunkStats: false,
    });
    expect(
      parseColzMeta(bytes('{"format": "colz", "version": 1, "logicalType": "int8", "future": 1}'), "k").nullable,
    ).toBe(false);
    await expectColzError(
      () => parseColzMeta(bytes('{"format": "colz", "version": 2, "logicalType": "x"}'), "a/meta/colz"),
      "ERR_UNSUPPORTED_DTYPE",
      "a/meta/colz",
    );
    await expectColzError(() => parseColzMeta(bytes('{"format": "zarr", "version": 1}'), "k"), "ERR_CORRUPT_META");
    await expectColzError(
      () => parseColzMeta(bytes('{"format": "colz", "version": 1}'), "k"),
      "ERR_CORRUPT_META",
      "logicalType",
    );
    await expectColzError(
      () => parseColzMeta(bytes('{"format": "colz", "version": 1, "logicalType": "x", "nullable": 1}'), "k"),
      "ERR_CORRUPT_META",
    );
    const s = new MemoryStore();
    expect(await readColzMeta(s, "")).toBeUndefined();
    await CArrayWriter.create(s, "", { dtype: "int8", marker: false });
    expect(await readColzMeta(s, "")).toBeUndefined();
  });
});

describe("nullable columns (colz/validity/)", () => {
  it("values + validity appended in lockstep, committed validity first, reopen", async () => {
    const s = new MemoryStore();
    const { values, validity } = await createNullableCArray(s, "p/", { dtype: "float64", chunklen: 3 });
    expect(validity.prefix).toBe(validityPrefix("p/"));
    expect(validity.chunklen).toBe(3);
    const a = await CArrayAppender.open(values, validity);
    await a.append(new Uint8Array(new Float64Array([1, 0, 3, 4]).buffer), new Uint8Array([1, 0, 1, 1]));
    await a.flush();
    const b = await openNullableAppender(s, "p/");
    await b.append(new Uint8Array(new Float64Array([0, 6]).buffer), new Uint8Array([0, 1]));
    await b.append(new Uint8Array(new Float64Array([7]).buffer)); // all valid
    await b.flush();
    const r = await CArrayReader.open(s, "p/");
    expect(r.colz?.nullable).toBe(true);
    const v = (await openValidity(r))!;
    expect(v.length).toBe(7);
    const valid = await v.readAll();
    expect([...valid]).toEqual([1, 0, 1, 1, 0, 1, 1]);
    expect(countNulls(valid)).toBe(2);
    expect([...new Float64Array((await r.readAll()).slice().buffer)]).toEqual([1, 0, 3, 4, 0, 6, 7]);
    expect((await r.readChunkStats(0))!).toMatchObject({ nulls: 1, min: 1, max: 3 });
    expect((await r.readChunkStats(1))!).toMatchObject({ nulls: 1, min: 4, max: 6 });
  });

  it("a validity left longer by a crash is cut back; a short or mismatched one is corrupt", async () => {
    const s = new MemoryStore();
    const { values, validity } = await createNullableCArray(s, "", { dtype: "int8", chunklen: 2 });
    const a = await CArrayAppender.open(values, validity);
    await a.append(new Uint8Array([1, 2, 3]), new Uint8Array([1, 1, 0]));
    await a.flush();
    await a.append(new Uint8Array([4]), new Uint8Array([1]));
    await a.flushChunks();
    await s.commit();
    await validity.writeSizes(4); // "crash" before the values' sizes
    const r = await CArrayReader.open(s, "");
    expect(r.length).toBe(3);
    expect((await openValidity(r))!.length).toBe(4);
    const b = await openNullableAppender(s, "");
    expect(b.length).toBe(3);
    expect((await CArrayReader.open(s, validityPrefix(""))).length).toBe(3);
    await b.append(new Uint8Array([9]), new Uint8Array([0]));
    await b.flush();
    const v = (await openValidity(await CArrayReader.open(s, "")))!;
    expect([...(await v.readAll())]).toEqual([1, 1, 0, 0]);
    await setText(s, "colz/validity/meta/sizes", '{"shape": [1], "nbytes": 1, "cbytes": 2}');
    await expectColzError(
      async () => openValidity(await CArrayReader.open(s, "")),
      "ERR_CORRUPT_META",
      "colz/validity/",
    );
    await expectColzError(() => openNullableAppender(new MemoryStore(), ""), "ERR_BAD_ARGUMENT");
  });
});

describe("variable-length utf8/binary columns", () => {
  it("utf8: random strings round trip through appends, reopen and row ranges", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ unit: "grapheme", maxLength: 9 }), { maxLength: 30 }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 20 }),
        async (batches, L, VL) => {
          const s = new MemoryStore();
          await createVarlenCArray(s, "name/", { logicalType: "utf8", chunklen: L, valuesChunklen: VL });
          const model: string[] = [];
          for (const batch of batches) {
            const a = await VarlenAppender.open(s, "name/");
            await a.append(batch);
            await a.flush();
            model.push(...batch);
          }
          const r = await VarlenReader.open(s, "name/");
          expect(r.length).toBe(model.length);
          expect(await r.read(0, r.length)).toEqual(model);
          if (model.length > 2) expect(await r.read(1, model.length - 1)).toEqual(model.slice(1, -1));
          expect(await r.read(model.length, model.length)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("binary with nulls; offsets are int64 ends; extra value bytes from a crash are cut", async () => {
    const s = new MemoryStore();
    await createVarlenCArray(s, "b/", { logicalType: "binary", nullable: true, chunklen: 2, valuesChunklen: 3 });
    const a = await VarlenAppender.open(s, "b/");
    await a.append([new Uint8Array([1, 2]), null, new Uint8Array(0), new Uint8Array([3])]);
    await a.flush();
    const r = await VarlenReader.open(s, "b/");
    expect((await r.read(0, 4)).map((x) => (x === null ? null : [...(x as Uint8Array)]))).toEqual([
      [1, 2],
      null,
      [],
      [3],
    ]);
    const offsets = await CArrayReader.open(s, "b/");
    expect(offsets.dtype.str).toBe("int64");
    expect([...new BigInt64Array((await offsets.readAll()).slice().buffer)]).toEqual([2n, 2n, 2n, 3n]);
    expect(JSON.parse(text(await s.get("b/meta/colz")))).toMatchObject({ logicalType: "binary", nullable: true });
    // crash: values committed, offsets not
    const b = await VarlenAppender.open(s, "b/");
    await b.append([new Uint8Array([9, 9, 9, 9])]);
    await b.flushChunks();
    await s.commit();
    await setText(s, `${valuesPrefix("b/")}meta/sizes`, '{"shape": [7], "nbytes": 7, "cbytes": 3}\n');
    const c = await VarlenAppender.open(s, "b/");
    expect((await CArrayReader.open(s, valuesPrefix("b/"))).length).toBe(3);
    await c.append([new Uint8Array([5])]);
    await c.flush();
    const r2 = await VarlenReader.open(s, "b/");
    expect((await r2.read(3, 5)).map((x) => [...(x as Uint8Array)])).toEqual([[3], [5]]);
  });

  it("type errors and corrupt offsets", async () => {
    const s = new MemoryStore();
    await createVarlenCArray(s, "u/", { logicalType: "utf8" });
    const a = await VarlenAppender.open(s, "u/");
    await expectColzError(() => a.append([new Uint8Array(1)]), "ERR_BAD_ARGUMENT", "strings");
    await expectColzError(() => a.append([null]), "ERR_BAD_ARGUMENT", "not nullable");
    await expectColzError(() => createVarlenCArray(s, "v/", { logicalType: "json" as "utf8" }), "ERR_BAD_ARGUMENT");
    await expectColzError(() => VarlenReader.open(s, "u/colz/values/"), "ERR_BAD_ARGUMENT");
    await a.append(["abc", "de"]);
    await a.flush();
    // offsets that run backwards or past the values
    const w = await CArrayWriter.open(s, "u/");
    await w.writeChunk(0, new Uint8Array(new BigInt64Array([3n, 1n]).buffer));
    await w.commit(2);
    await expectColzError(async () => (await VarlenReader.open(s, "u/")).read(0, 2), "ERR_CORRUPT_CHUNK", "u/data");
    await w.writeChunk(0, new Uint8Array(new BigInt64Array([3n, 99n]).buffer));
    await w.commit(2);
    await expectColzError(async () => (await VarlenReader.open(s, "u/")).read(0, 2), "ERR_CORRUPT_CHUNK", "row 1");
  });
});
