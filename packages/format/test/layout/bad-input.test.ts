import { compress, ready } from "@colz/blosc-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAttrs, parseSizes, parseStorage } from "../../src/layout/carray-meta.js";
import { CArrayReader } from "../../src/layout/carray-reader.js";
import { CArrayWriter } from "../../src/layout/carray-writer.js";
import { checkChunkFileHeader, decodeChunkFile, encodeChunkFile, readChunkFile } from "../../src/layout/chunk-file.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/types.js";
import { bytes, expectColzError, fixtureStore, setText } from "./helpers.js";

beforeAll(async () => {
  await ready();
});

const KEY = "data/__0.blp";

describe("chunk files", () => {
  it("encode → decode round trip; trailing bytes ignored", () => {
    const chunk = compress(
      new Uint8Array(1000).map((_, i) => i % 7),
      { typesize: 1, cname: "lz4" },
    );
    const file = encodeChunkFile(chunk);
    expect([...file.subarray(0, 16)]).toEqual([0x62, 0x6c, 0x70, 0x6b, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect([...decodeChunkFile(file, KEY)]).toEqual([...chunk]);
    const padded = new Uint8Array(file.length + 50);
    padded.set(file);
    expect(decodeChunkFile(padded, KEY).length).toBe(chunk.length);
  });

  it("bad magic, version, nchunks, Blosc version, truncation → ERR_CORRUPT_CHUNK naming the key", async () => {
    const chunk = compress(new Uint8Array(1000), { typesize: 4, cname: "lz4" });
    const good = encodeChunkFile(chunk);
    const edit = (at: number, v: number) => {
      const f = good.slice();
      f[at] = v;
      return f;
    };
    const cases: [Uint8Array, string][] = [
      [edit(0, 0x42), "magic"],
      [edit(4, 2), "version 2"],
      [edit(8, 2), "nchunks is 2"],
      [edit(15, 0xff), "nchunks"],
      [edit(16, 4), "Blosc header version 4"],
      [good.subarray(0, 20), "shorter than the 32-byte"],
      [good.subarray(0, good.length - 1), "truncated"],
      [new Uint8Array(0), "truncated"],
    ];
    for (const [f, needle] of cases) {
      await expectColzError(() => decodeChunkFile(f, "t/data/__7.blp"), "ERR_CORRUPT_CHUNK", "t/data/__7.blp");
      await expectColzError(() => decodeChunkFile(f, KEY), "ERR_CORRUPT_CHUNK", needle);
    }
    const small = edit(28, 3); // Blosc cbytes 3 < 16
    await expectColzError(() => checkChunkFileHeader(small, KEY), "ERR_CORRUPT_CHUNK", "smaller than its header");
  });

  it("readChunkFile fetches at most maxCbytes + 16 bytes and rejects larger headers", async () => {
    const chunk = compress(new Uint8Array(4000).fill(3), { typesize: 4, clevel: 0 }); // memcpyed: 4016 bytes
    const store = new MemoryStore();
    const file = encodeChunkFile(chunk);
    const big = new Uint8Array(file.length + 1_000_000);
    big.set(file);
    await store.set(KEY, big);
    const seen: number[] = [];
    const spy: Store = Object.create(store, {
      getRange: {
        value: (k: string, o: number, l: number) => {
          seen.push(l);
          return store.getRange(k, o, l);
        },
      },
    });
    expect((await readChunkFile(spy, KEY, 4016))!.length).toBe(4016);
    expect(Math.max(...seen)).toBeLessThanOrEqual(4016 + 16);
    await expectColzError(() => readChunkFile(spy, KEY, 1000), "ERR_CORRUPT_CHUNK", "exceeds 1000");
    expect(await readChunkFile(store, "data/__9.blp", 100)).toBeUndefined();
  });
});

async function i4(edit: (s: MemoryStore) => Promise<void>): Promise<CArrayReader> {
  const s = fixtureStore("i4_blosclz_sh1");
  await edit(s);
  return CArrayReader.open(s, "");
}

describe("damaged carrays fail cleanly with the right code and key", () => {
  it("missing meta files → ERR_NOT_A_CONTAINER naming the prefix", async () => {
    await expectColzError(() => CArrayReader.open(new MemoryStore(), "x/"), "ERR_NOT_A_CONTAINER", "x/meta/");
    await expectColzError(() => i4((s) => s.delete("meta/sizes")), "ERR_NOT_A_CONTAINER", "meta/sizes");
    await expectColzError(() => i4((s) => s.delete("meta/storage")), "ERR_NOT_A_CONTAINER", "meta/storage");
    await expectColzError(() => CArrayReader.open(new MemoryStore(), "bad"), "ERR_BAD_KEY");
  });

  it("malformed or inconsistent metadata → ERR_CORRUPT_META naming the file", async () => {
    const cases: [string, string, string][] = [
      ["meta/sizes", '{"shape": [10007], "nbytes": 40028, "cbytes": 13435', "meta/sizes: malformed JSON at position"],
      ["meta/sizes", "", "meta/sizes: malformed JSON at position 0"],
      ["meta/sizes", '{"shape": [], "nbytes": 0, "cbytes": 0}', "shape must be a non-empty list"],
      ["meta/sizes", '{"shape": [-1], "nbytes": 0, "cbytes": 0}', "shape[0]"],
      ["meta/sizes", '{"shape": [1.5], "nbytes": 0, "cbytes": 0}', "shape[0]"],
      ["meta/sizes", '{"shape": [NaN], "nbytes": 0, "cbytes": 0}', "shape[0]"],
      ["meta/sizes", '{"shape": [99999999999999999999999], "nbytes": 0, "cbytes": 0}', "below 2^53"],
      ["meta/sizes", '{"shape": [4000000000000000], "nbytes": 0, "cbytes": 0}', "exceed 2^53 bytes"],
      ["meta/sizes", '{"shape": [10, 0], "nbytes": 0, "cbytes": 0}', "zero bytes"],
      ["meta/sizes", '{"shape": [10, 100000, 100000], "nbytes": 0, "cbytes": 0}', "too large"],
      ["meta/sizes", '{"shape": [10], "cbytes": 0}', "nbytes"],
      ["meta/sizes", "[1, 2]", "must be a JSON object"],
      ["meta/storage", '{"dtype": "int32", "chunklen": 0}', "chunklen must be at least 1"],
      ["meta/storage", '{"dtype": "int32", "chunklen": 600000000}', "Blosc1 chunk limit"],
      ["meta/storage", '{"dtype": 4, "chunklen": 10}', "dtype must be a string"],
      ["meta/storage", '{"dtype": "int32", "chunklen": 10, "cparams": {"shuffle": 3}}', "cparams.shuffle"],
      ["meta/storage", '{"dtype": "int32", "chunklen": 10, "cparams": {"clevel": 10}}', "cparams.clevel"],
      ["meta/storage", '{"dtype": "int32", "chunklen": 10, "cparams": {"cname": 1}}', "cparams.cname"],
      ["meta/storage", '{"dtype": "int32", "chunklen": 10, "cparams": []}', "cparams must be a JSON object"],
      ["__attrs__", "{x}", "__attrs__: malformed JSON at position 1"],
      ["__attrs__", "[]", "__attrs__ must be a JSON object"],
    ];
    for (const [key, content, needle] of cases) {
      await expectColzError(() => i4((s) => setText(s, key, content)), "ERR_CORRUPT_META", needle);
    }
    // a prefix appears in the message
    const s = fixtureStore("i4_blosclz_sh1", "col/");
    await setText(s, "col/meta/sizes", "{");
    await expectColzError(() => CArrayReader.open(s, "col/"), "ERR_CORRUPT_META", "col/meta/sizes");
  });

  it("unsupported dtypes → ERR_UNSUPPORTED_DTYPE naming the dtype and the key", async () => {
    for (const dt of ["object", "[('a', '<i4'), ('b', '<f8')]", "|V16", "complex128"]) {
      const s = fixtureStore("i4_blosclz_sh1", "t/c/");
      await setText(s, "t/c/meta/storage", JSON.stringify({ dtype: dt, chunklen: 3000 }));
      await expectColzError(() => CArrayReader.open(s, "t/c/"), "ERR_UNSUPPORTED_DTYPE", "t/c/meta/storage");
      await expectColzError(() => CArrayReader.open(s, "t/c/"), "ERR_UNSUPPORTED_DTYPE", JSON.stringify(dt));
    }
  });

  it("missing, truncated, bit-flipped, oversized chunk files → ERR_CORRUPT_CHUNK naming the file", async () => {
    const r1 = await i4((s) => s.delete("data/__1.blp"));
    await expectColzError(() => r1.readChunk(1), "ERR_CORRUPT_CHUNK", "data/__1.blp is missing");
    await expectColzError(() => r1.readAll(), "ERR_CORRUPT_CHUNK", "data/__1.blp");
    expect((await r1.readChunk(0)).length).toBe(12000);

    const r2 = await i4(async (s) => s.set("data/__2.blp", (await s.get("data/__2.blp"))!.subarray(0, 100)));
    await expectColzError(() => r2.readChunk(2), "ERR_CORRUPT_CHUNK", "data/__2.blp");

    const r3 = await i4(async (s) => s.set("data/__3.blp", new Uint8Array(0)));
    await expectColzError(() => r3.readChunk(3), "ERR_CORRUPT_CHUNK", "data/__3.blp");

    // flip bytes inside the compressed streams: either the codec notices, or (no checksum in bcolz) the
    // size checks do; it must never return a wrong-sized result or throw something else
    const orig = (await fixtureStore("i4_blosclz_sh1").get("data/__0.blp"))!;
    let caught = 0;
    for (let at = 16 + 16; at < orig.length; at += 7) {
      const s = fixtureStore("i4_blosclz_sh1");
      const f = orig.slice();
      f[at]! ^= 0x5a;
      await s.set("data/__0.blp", f);
      const r = await CArrayReader.open(s, "");
      try {
        expect((await r.readChunk(0)).length).toBe(12000);
      } catch (e) {
        expect((e as { code?: string }).code).toBe("ERR_CORRUPT_CHUNK");
        expect((e as Error).message).toContain("data/__0.blp");
        caught++;
      }
    }
    expect(caught).toBeGreaterThan(0);
  });

  it("a Blosc header that disagrees with the metadata → ERR_CORRUPT_CHUNK", async () => {
    // full chunk whose nbytes is not chunksize
    const s = fixtureStore("i4_blosclz_sh1");
    await s.set("data/__1.blp", encodeChunkFile(compress(new Uint8Array(8000), { typesize: 4 })));
    const r = await CArrayReader.open(s, "");
    await expectColzError(
      () => r.readChunk(1),
      "ERR_CORRUPT_CHUNK",
      "Blosc header says 8000 bytes, the metadata expects 12000",
    );
    // leftover that decodes to fewer bytes than its valid rows, or more than a chunk
    await s.set("data/__3.blp", encodeChunkFile(compress(new Uint8Array(400), { typesize: 4 })));
    await expectColzError(() => r.readChunk(3), "ERR_CORRUPT_CHUNK", "4028..12000");
    // header claims a huge nbytes: refused before any allocation
    const lie = encodeChunkFile(compress(new Uint8Array(12000), { typesize: 4 }));
    new DataView(lie.buffer).setUint32(16 + 4, 2 ** 31 - 100, true);
    await s.set("data/__0.blp", lie);
    await expectColzError(() => r.readChunk(0), "ERR_CORRUPT_CHUNK", "data/__0.blp");
    // header typesize 0
    const ts0 = encodeChunkFile(compress(new Uint8Array(12000), { typesize: 4 }));
    ts0[16 + 3] = 0;
    await s.set("data/__2.blp", ts0);
    await expectColzError(() => r.readChunk(2), "ERR_CORRUPT_CHUNK", "typesize");
    // a Blosc2 chunk in a bcolz file
    const v2 = encodeChunkFile(compress(new Uint8Array(12000), { typesize: 4 }));
    v2[16] = 4;
    await s.set("data/__2.blp", v2);
    await expectColzError(() => r.readChunk(2), "ERR_CORRUPT_CHUNK", "not a Blosc1 chunk");
  });

  it("huge shape values: opening is cheap, reading fails cleanly without allocating", async () => {
    const r = await i4((s) => setText(s, "meta/sizes", '{"shape": [1000000000000], "nbytes": 0, "cbytes": 0}'));
    expect(r.length).toBe(1e12);
    expect(r.nchunks).toBe(Math.ceil(1e12 / 3000));
    await expectColzError(() => r.readAll(), "ERR_CORRUPT_CHUNK", `data/__${r.nchunks - 1}.blp is missing`);
    await expectColzError(() => r.readChunk(r.nchunks - 1), "ERR_CORRUPT_CHUNK");
    // a huge length whose last chunk exists: ERR_TOO_LARGE, not a RangeError
    const s = fixtureStore("i4_blosclz_sh1");
    await setText(s, "meta/sizes", '{"shape": [2100000000], "nbytes": 0, "cbytes": 0}');
    await s.set(`data/__${Math.ceil(2.1e9 / 3000) - 1}.blp`, (await s.get("data/__0.blp"))!);
    const big = await CArrayReader.open(s, "");
    await expectColzError(() => big.readAll(), "ERR_TOO_LARGE");
    await expectColzError(() => big.readRows(0, 2.1e9), "ERR_TOO_LARGE");
    await expectColzError(() => big.readChunk(-1), "ERR_BAD_ARGUMENT");
    await expectColzError(() => big.readChunk(1.5), "ERR_BAD_ARGUMENT");
    await expectColzError(() => big.readRows(5, 2), "ERR_BAD_ARGUMENT");
  });

  it("oversized metadata files are refused without reading them whole", async () => {
    await expectColzError(
      () => i4((s) => s.set("meta/sizes", new Uint8Array((1 << 20) + 5).fill(0x20))),
      "ERR_CORRUPT_META",
      "meta/sizes: larger than",
    );
    const s = new MemoryStore();
    const w = await CArrayWriter.create(s, "", { dtype: "int8", chunklen: 4 });
    await w.writeChunk(0, new Uint8Array([1, 2]));
    await w.commit(2);
    await s.set("data/__0.colz", new Uint8Array(70_000).fill(0x20));
    const r = await CArrayReader.open(s, "");
    await expectColzError(() => r.readChunk(0), "ERR_CORRUPT_META", "data/__0.colz: larger than");
    await s.set("meta/colz", new Uint8Array(70_000).fill(0x20));
    await expectColzError(() => CArrayReader.open(s, ""), "ERR_CORRUPT_META", "meta/colz");
  });

  it("parsers used directly", async () => {
    await expectColzError(() => parseSizes(bytes('{"shape": "x"}'), "k"), "ERR_CORRUPT_META", "k: shape");
    await expectColzError(() => parseStorage(bytes("null"), "k"), "ERR_CORRUPT_META", "k: meta/storage must be");
    expect(parseAttrs(bytes(" \n"), "k")).toEqual({});
    expect(parseAttrs(undefined, "k")).toEqual({});
  });

  it("writers refuse bad arguments with ERR_BAD_ARGUMENT / ERR_UNSUPPORTED_DTYPE", async () => {
    const s = new MemoryStore();
    await expectColzError(() => CArrayWriter.create(s, "", { dtype: "float16" }), "ERR_UNSUPPORTED_DTYPE");
    await expectColzError(() => CArrayWriter.create(s, "", { dtype: "object" }), "ERR_UNSUPPORTED_DTYPE");
    await expectColzError(() => CArrayWriter.create(s, "", { dtype: "int8", chunklen: 0 }), "ERR_BAD_ARGUMENT");
    await expectColzError(() => CArrayWriter.create(s, "", { dtype: "int64", chunklen: 2 ** 28 }), "ERR_BAD_ARGUMENT");
    await expectColzError(() => CArrayWriter.create(s, "", { dtype: "int8", atomShape: [0] }), "ERR_BAD_ARGUMENT");
    await expectColzError(
      () => CArrayWriter.create(s, "", { dtype: "int8", cparams: { cname: "snappy" } }),
      "ERR_BAD_ARGUMENT",
    );
    await expectColzError(
      () => CArrayWriter.create(s, "", { dtype: "int8", cparams: { quantize: 3 } }),
      "ERR_BAD_ARGUMENT",
    );
    await expectColzError(
      () => CArrayWriter.create(s, "", { dtype: "int8", cparams: { clevel: 11 } }),
      "ERR_BAD_ARGUMENT",
    );
    await expectColzError(() => CArrayWriter.create(s, "x", { dtype: "int8" }), "ERR_BAD_KEY");
    await expectColzError(() => CArrayWriter.create(s, "../x/", { dtype: "int8" }), "ERR_BAD_KEY");
    expect(await s.list()).toEqual([]); // nothing written by refused calls
    // a snappy bcolz carray opened for writing appends with lz4
    const w = await CArrayWriter.open(fixtureStore("i4_snappy_sh1"), "");
    expect(w.cparams.cname).toBe("lz4");
  });
});
