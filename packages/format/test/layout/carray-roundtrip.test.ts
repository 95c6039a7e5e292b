import { chunkInfo, decompress, ready } from "@colz/blosc-wasm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDtype } from "../../src/dtype/dtype.js";
import { CArrayAppender } from "../../src/layout/carray-appender.js";
import { CArrayReader } from "../../src/layout/carray-reader.js";
import { CArrayWriter } from "../../src/layout/carray-writer.js";
import { decodeChunkFile } from "../../src/layout/chunk-file.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { expectColzError, text } from "./helpers.js";

beforeAll(async () => {
  await ready();
});

/** Every writable dtype with an atom shape. */
const DTYPES: [string, number[]][] = [
  ["bool", []],
  ["int8", []],
  ["int16", []],
  ["int32", []],
  ["int64", []],
  ["uint8", []],
  ["uint16", []],
  ["uint32", []],
  ["uint64", []],
  ["float32", []],
  ["float64", []],
  ["|S7", []],
  ["|S1", []],
  ["<U5", []],
  ["datetime64[D]", []],
  ["datetime64[ns]", []],
  ["timedelta64[ms]", []],
  [">i4", []],
  [">f8", []],
  ["float32", [4]],
  ["int16", [2, 3]],
];

function randomRows(rows: number, atomsize: number, seed: number, kind: string): Uint8Array {
  const out = new Uint8Array(rows * atomsize);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    // bools must be 0/1; keep other data somewhat compressible
    out[i] = kind === "b" ? (s >>> 3) & 1 : (s >>> 24) & (i % 3 === 0 ? 0xff : 0x0f);
  }
  return out;
}

describe("CArrayWriter → CArrayReader round trips", () => {
  for (const [dt, atom] of DTYPES) {
    it(`${dt}${atom.length ? ` ${JSON.stringify(atom)}` : ""}: random lengths, chunklens, leftovers`, async () => {
      const dtype = parseDtype(dt);
      const atomsize = dtype.itemsize * atom.reduce((a, b) => a * b, 1);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 700 }),
          fc.integer({ min: 1, max: 130 }),
          fc.integer(),
          fc.constantFrom("lz4", "blosclz", "zlib", "zstd", "lz4hc"),
          fc.constantFrom(0, 1, 2),
          async (length, chunklen, seed, cname, shuffle) => {
            const store = new MemoryStore();
            const model = randomRows(length, atomsize, seed, dtype.kind);
            const w = await CArrayWriter.create(store, "c/", {
              dtype: dt,
              atomShape: atom,
              chunklen,
              expectedlen: length,
              cparams: { cname: cname as "lz4", shuffle: shuffle as 0, clevel: 5 },
            });
            for (let i = 0; i * chunklen < length; i++) {
              const rows = model.subarray(i * chunklen * atomsize, Math.min(length, (i + 1) * chunklen) * atomsize);
              await w.writeChunk(i, rows);
            }
            await w.commit(length);
            const r = await CArrayReader.open(store, "c/");
            expect(r.length).toBe(length);
            expect(r.dtype.str).toBe(dtype.str);
            expect([...r.atomShape]).toEqual(atom);
            expect(r.nchunks).toBe(Math.ceil(length / chunklen));
            expect(Buffer.from(await r.readAll()).equals(Buffer.from(model))).toBe(true);
            if (length > 0) {
              const a = Math.floor(length / 3);
              const b = Math.min(length, a + chunklen + 5);
              expect(
                Buffer.from(await r.readRows(a, b)).equals(Buffer.from(model.subarray(a * atomsize, b * atomsize))),
              ).toBe(true);
              // chunks use the dtype's Blosc typesize
              const chunk = decodeChunkFile((await store.get("c/data/__0.blp"))!, "c/data/__0.blp");
              const info = chunkInfo(chunk);
              expect(info.typesize).toBe(dtype.typesize);
              expect(info.nbytes).toBe(Math.min(length, chunklen) * atomsize);
            }
            const sizes = JSON.parse(text(await store.get("c/meta/sizes")));
            expect(sizes.shape).toEqual([length, ...atom]);
            expect(sizes.nbytes).toBe(length * atomsize);
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});

describe("meta files as bcolz 1.2.1 writes them", () => {
  it("exact bytes of storage, sizes, attrs, and the bcolz cbytes convention", async () => {
    const store = new MemoryStore();
    const w = await CArrayWriter.create(store, "", {
      dtype: "<i4",
      chunklen: 3000,
      expectedlen: 10007,
      cparams: { cname: "blosclz" },
      chunkStats: false,
      marker: false,
    });
    expect(text(await store.get("meta/storage"))).toBe(
      '{"dtype": "int32", "cparams": {"clevel": 5, "shuffle": 1, "cname": "blosclz", "quantize": 0}, "chunklen": 3000, "expectedlen": 10007, "dflt": 0}\n',
    );
    expect(text(await store.get("__attrs__"))).toBe("{}\n");
    expect(text(await store.get("meta/sizes"))).toBe('{"shape": [0], "nbytes": 0, "cbytes": 12000}\n');
    const data = new Int32Array(10007).map((_, i) => i);
    const bytes = new Uint8Array(data.buffer);
    let full = 0;
    for (let i = 0; i < 4; i++) {
      await w.writeChunk(i, bytes.subarray(i * 12000, Math.min(bytes.length, (i + 1) * 12000)));
      if (i < 3) full += (await store.size(`data/__${i}.blp`))! - 16;
    }
    await w.commit(10007);
    expect(text(await store.get("meta/sizes"))).toBe(
      `{"shape": [10007], "nbytes": 40028, "cbytes": ${full + 12000}}\n`,
    );
    expect(await store.list()).toEqual([
      "__attrs__",
      "data/__0.blp",
      "data/__1.blp",
      "data/__2.blp",
      "data/__3.blp",
      "data/colz-keep",
      "meta/sizes",
      "meta/storage",
    ]);
  });

  it("float dflt is written as a float, NaN as Python's token; bool/str/datetime dflts", async () => {
    const s = new MemoryStore();
    const storage = async (prefix: string, dtype: string, dflt?: unknown) => {
      await CArrayWriter.create(s, prefix, { dtype, chunklen: 10, dflt: dflt as number });
      return JSON.stringify(text(await s.get(`${prefix}meta/storage`)).match(/"dflt": (.*)}\n$/)![1]);
    };
    expect(await storage("a/", "float64")).toBe('"0.0"');
    expect(await storage("b/", "float32", 1.5)).toBe('"1.5"');
    expect(await storage("c/", "float64", Number.NaN)).toBe('"NaN"');
    expect(await storage("d/", "bool")).toBe('"false"');
    expect(await storage("e/", "|S3")).toBe('"\\"\\""');
    expect(await storage("f/", "datetime64[D]")).toBe('"0"');
    expect(await storage("g/", "int64", 2n ** 60n)).toBe('"1152921504606846976"');
    await expectColzError(
      () => CArrayWriter.create(s, "h/", { dtype: "int32", dflt: 1.5 }),
      "ERR_BAD_ARGUMENT",
      "dflt",
    );
  });

  it("default chunklen is at least 256 KB; expectedlen defaults to 0", async () => {
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "", { dtype: "float64" });
    expect(w.chunklen).toBe(32768);
    expect(JSON.parse(text(await s.get("meta/storage"))).expectedlen).toBe(0);
  });
});

describe("commit protocol and appends", () => {
  it("uncommitted chunks are invisible; commit checks every row is stored", async () => {
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "", { dtype: "int32", chunklen: 4 });
    await w.writeChunk(0, new Uint8Array(16).fill(1));
    await w.writeChunk(1, new Uint8Array(8).fill(2));
    expect((await CArrayReader.open(s, "")).length).toBe(0);
    await expectColzError(() => w.commit(7), "ERR_BAD_ARGUMENT", "chunk 1 holds 2 of its 3 rows");
    await expectColzError(() => w.commit(9), "ERR_BAD_ARGUMENT", "chunk 1 holds 2 of its 4 rows");
    await w.commit(6);
    expect((await CArrayReader.open(s, "")).length).toBe(6);
    // committed rows can only be replaced by a chunk that keeps them
    await expectColzError(() => w.writeChunk(1, new Uint8Array(4)), "ERR_BAD_ARGUMENT", "committed rows");
    await expectColzError(() => w.writeChunk(0, new Uint8Array(12)), "ERR_BAD_ARGUMENT", "committed rows");
    await expectColzError(() => w.writeChunk(0, new Uint8Array(5)), "ERR_BAD_ARGUMENT");
    await expectColzError(() => w.writeChunk(0, new Uint8Array(20)), "ERR_BAD_ARGUMENT");
    await expectColzError(() => w.writeChunk(-1, new Uint8Array(4)), "ERR_BAD_ARGUMENT");
    // truncation commits a shorter length; the leftover file keeps extra rows, readers slice
    await w.commit(5);
    const r = await CArrayReader.open(s, "");
    expect(r.length).toBe(5);
    expect([...(await r.readAll())]).toEqual([...new Uint8Array(16).fill(1), 2, 2, 2, 2]);
    await expectColzError(() => CArrayWriter.create(s, "", { dtype: "int8" }), "ERR_BAD_ARGUMENT", "already holds");
  });

  it("commit calls store.commit before and after meta/sizes", async () => {
    const s = new MemoryStore();
    const log: string[] = [];
    const spy = new Proxy(s, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv);
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          if (prop === "set" || prop === "commit" || prop === "delete")
            log.push(prop === "commit" ? "commit" : `${String(prop)} ${args[0]}`);
          return v.apply(target, args);
        };
      },
    });
    const w = await CArrayWriter.create(spy, "", { dtype: "int8", chunklen: 2 });
    log.length = 0;
    await w.writeChunk(0, new Uint8Array([1, 2]));
    await w.commit(2);
    expect(log).toEqual([
      "delete data/__0.colz",
      "set data/__0.blp",
      "set data/__0.colz",
      "commit",
      "set meta/sizes",
      "commit",
    ]);
  });

  it("CArrayAppender: appends across chunk boundaries and reopen, equal to a model", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 120 }), { maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        async (chunklen, batches, reopen) => {
          const s = new MemoryStore();
          await CArrayWriter.create(s, "x/", { dtype: "int32", chunklen });
          let a = await CArrayAppender.open(await CArrayWriter.open(s, "x/"));
          const model: number[] = [];
          for (const [k, batch] of batches.entries()) {
            await a.append(new Uint8Array(new Int32Array(batch).buffer));
            model.push(...batch);
            expect(a.length).toBe(model.length);
            if (reopen[k]) {
              await a.flush();
              a = await CArrayAppender.open(await CArrayWriter.open(s, "x/"));
            }
          }
          await a.flush();
          const r = await CArrayReader.open(s, "x/");
          expect(r.length).toBe(model.length);
          expect([...new Int32Array((await r.readAll()).slice().buffer)]).toEqual(model);
          for (let i = 0; i < r.nchunks; i++) {
            const info = chunkInfo(decodeChunkFile((await s.get(`x/data/__${i}.blp`))!, "k"));
            expect(info.nbytes).toBe(r.chunkRows(i) * 4); // leftover holds exactly the valid rows
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("an unflushed append leaves the committed rows intact (crash before the sizes commit)", async () => {
    const s = new MemoryStore();
    await CArrayWriter.create(s, "", { dtype: "uint8", chunklen: 4 });
    const a = await CArrayAppender.open(await CArrayWriter.open(s, ""));
    await a.append(new Uint8Array([1, 2, 3, 4, 5, 6]));
    await a.flush();
    const b = await CArrayAppender.open(await CArrayWriter.open(s, ""));
    await b.append(new Uint8Array([7, 8, 9, 10, 11]));
    await b.flushChunks(); // chunk files written, sizes not: "crash" here
    const r = await CArrayReader.open(s, "");
    expect([...(await r.readAll())]).toEqual([1, 2, 3, 4, 5, 6]);
    const c = await CArrayAppender.open(await CArrayWriter.open(s, ""));
    await c.append(new Uint8Array([70]));
    await c.flush();
    expect([...(await (await CArrayReader.open(s, "")).readAll())]).toEqual([1, 2, 3, 4, 5, 6, 70]);
  });

  it("opening a bcolz fixture for append keeps its cparams and stays readable by bcolz rules", async () => {
    const { fixtureStore } = await import("./helpers.js");
    const s = fixtureStore("i4_blosclz_sh1");
    const w = await CArrayWriter.open(s, "");
    expect(w.cparams.cname).toBe("blosclz");
    expect(w.chunkStats).toBe(false);
    const a = await CArrayAppender.open(w);
    await a.append(new Uint8Array(new Int32Array([-1, -2, -3]).buffer));
    await a.flush();
    const r = await CArrayReader.open(s, "");
    expect(r.length).toBe(10010);
    const v = new Int32Array((await r.readRows(10004, 10010)).slice().buffer);
    expect([...v.slice(3)]).toEqual([-1, -2, -3]);
    expect(JSON.parse(text(await s.get("meta/sizes")))).toEqual({ shape: [10010], nbytes: 40040, cbytes: 13435 });
    const chunk = decodeChunkFile((await s.get("data/__3.blp"))!, "k");
    expect(decompress(chunk).length).toBe(1010 * 4);
    expect(chunkInfo(chunk).cname).toBe("blosclz");
    expect(await s.has("data/__3.colz")).toBe(false);
  });
});
