import { createHash } from "node:crypto";
import { join } from "node:path";
import { ready } from "@colz/blosc-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDtype } from "../../src/dtype/dtype.js";
import { decodeFixedBytesAsText, decodeUcs4 } from "../../src/dtype/strings.js";
import { toTypedArray } from "../../src/dtype/typed-arrays.js";
import { encodeSizes, encodeStorage, parseSizes, parseStorage } from "../../src/layout/carray-meta.js";
import { CArrayReader } from "../../src/layout/carray-reader.js";
import { detectContainer, openCTable } from "../../src/layout/ctable-layout.js";
import { DirectoryStore } from "../../src/store/directory-store.js";
import type { MemoryStore } from "../../src/store/memory-store.js";
import { expectedBytes, FIXTURES, filesUnder, fixtureStore, manifest, setText, text } from "./helpers.js";

const m = manifest();

beforeAll(async () => {
  await ready();
});

describe("every bcolz 1.2.1 fixture", () => {
  it("the manifest lists 12 rootdirs and 15 vectors", () => {
    expect(m.rootdirs).toHaveLength(12);
    expect(m.vectors.length).toBe(15);
  });

  for (const v of m.vectors) {
    it(`${v.rootdir}: decodes byte-for-byte, dtype and shape match (MemoryStore)`, async () => {
      const [top, col] = v.rootdir.split("/") as [string, string | undefined];
      const store = fixtureStore(top);
      const prefix = col === undefined ? "" : `${col}/`;
      const r = await CArrayReader.open(store, prefix);
      const exp = expectedBytes(v);
      expect(createHash("sha256").update(exp).digest("hex")).toBe(v.sha256);
      expect([...r.shape]).toEqual(v.shape);
      expect(parseDtype(v.dtype).str).toBe(r.dtype.str);
      expect(r.length).toBe(v.shape[0]);
      expect(r.atomsize * r.length).toBe(exp.length);
      const all = await r.readAll();
      expect(all.length).toBe(exp.length);
      expect(Buffer.from(all).equals(Buffer.from(exp))).toBe(true);
      // chunk by chunk, into caller buffers at offsets
      const out = new Uint8Array(exp.length + 3).subarray(3);
      let at = 0;
      for (let i = 0; i < r.nchunks; i++) {
        const got = await r.readChunk(i, out.subarray(at));
        at += got.length;
      }
      expect(at).toBe(exp.length);
      expect(Buffer.from(out).equals(Buffer.from(exp))).toBe(true);
      if (typeof v.params?.chunklen === "number") expect(r.chunklen).toBe(v.params.chunklen);
      expect(r.attrs).toEqual(JSON.parse(text(await store.get(`${prefix}__attrs__`))));
      expect(await r.readChunkStats(0).catch(() => undefined)).toBeUndefined();
    });
  }

  for (const name of m.rootdirs.filter((n) => n !== "ctable_basic")) {
    it(`${name}: opens from the real directory through DirectoryStore`, async () => {
      const store = await DirectoryStore.open(join(FIXTURES, name));
      try {
        expect(await detectContainer(store, "")).toBe("carray");
        const r = await CArrayReader.open(store, "");
        const v = m.vectors.find((x) => x.rootdir === name)!;
        expect(Buffer.from(await r.readAll()).equals(Buffer.from(expectedBytes(v)))).toBe(true);
      } finally {
        await store.close();
      }
    });
  }

  it("metadata: attrs, cparams, dflt, expectedlen as written", async () => {
    const open = (name: string) => CArrayReader.open(fixtureStore(name), "");
    const b = await open("bool");
    expect(b.storage).toEqual({
      dtype: "bool",
      cparams: { clevel: 5, shuffle: 1, cname: "lz4", quantize: 0 },
      chunklen: 5000,
      expectedlen: 12345,
      dflt: false,
    });
    expect(b.dtype.typesize).toBe(1);
    const f = await open("f4_2d");
    expect(f.dflt).toBe(1.5);
    expect([...f.atomShape]).toEqual([4]);
    expect(f.atomsize).toBe(16);
    expect(f.dtype.typesize).toBe(4);
    expect(f.leftover).toBe(0);
    const s = await open("S7_strings");
    expect(s.dtype).toMatchObject({ str: "|S7", itemsize: 7, typesize: 1 });
    const u = await open("U5_unicode");
    expect(u.dtype).toMatchObject({ str: "<U5", itemsize: 20, typesize: 4 });
    const d = await open("M8D_dates");
    expect(d.dtype).toMatchObject({ str: "datetime64[D]", kind: "M", unit: "D", itemsize: 8 });
    const a = await open("i4_appended");
    expect(a.expectedlen).toBe(1500);
    expect(a.attrs).toEqual({});
    const e = await open("i8_empty");
    expect(e.length).toBe(0);
    expect(e.nchunks).toBe(0);
    expect(e.chunklen).toBe(2048);
    expect(e.sizes.cbytes).toBe(16384);
    expect((await e.readAll()).length).toBe(0);
    for (const n of ["i4_blosclz_sh1", "i4_zlib_sh0", "i4_zstd_sh2", "i4_snappy_sh1"]) {
      const r = await open(n);
      expect(r.cparams.cname).toBe(n.split("_")[1]);
      expect(r.cparams.shuffle).toBe(Number(n.slice(-1)));
    }
  });

  it("decoded values make sense as typed arrays and strings", async () => {
    const s = await CArrayReader.open(fixtureStore("S7_strings"), "");
    const strs = decodeFixedBytesAsText(await s.readChunk(0), 7);
    expect(strs.length).toBe(4000);
    expect(strs.every((x) => x.length <= 7)).toBe(true);
    const u = await CArrayReader.open(fixtureStore("U5_unicode"), "");
    const last = decodeUcs4(await u.readChunk(u.nchunks - 1), 20);
    expect(last).toEqual(["u24"]); // reference §15.2: a 1-row MEMCPYED leftover
    const d = await CArrayReader.open(fixtureStore("M8D_dates"), "");
    const days = toTypedArray(await d.readAll(), d.dtype) as BigInt64Array;
    expect(days).toBeInstanceOf(BigInt64Array);
    expect(days.length).toBe(3653);
    const flag = await CArrayReader.open(fixtureStore("ctable_basic"), "flag/");
    const f = toTypedArray(await flag.readChunk(3), flag.dtype) as Uint8Array;
    expect(f.length).toBe(1777);
    for (let k = 0; k < f.length; k++) expect(f[k]).toBe((6000 + k) % 3 === 0 ? 1 : 0);
  });

  it("meta files re-encode to the exact bytes bcolz wrote", async () => {
    for (const v of m.vectors) {
      const [top, col] = v.rootdir.split("/") as [string, string | undefined];
      const dir = col === undefined ? join(FIXTURES, top) : join(FIXTURES, top, col);
      const files = new Map(filesUnder(dir));
      const storage = parseStorage(files.get("meta/storage")!, "meta/storage");
      const dtype = parseDtype(storage.dtype);
      expect(text(encodeStorage({ ...storage, dtype }))).toBe(text(files.get("meta/storage")));
      const sizes = parseSizes(files.get("meta/sizes")!, "meta/sizes");
      expect(text(encodeSizes(sizes))).toBe(text(files.get("meta/sizes")));
    }
  });
});

describe("ctable_basic", () => {
  it("columns, order, attrs and length", async () => {
    const store = fixtureStore("ctable_basic");
    expect(await detectContainer(store, "")).toBe("ctable");
    expect(await detectContainer(store, "id/")).toBe("carray");
    const t = await openCTable(store, "");
    expect(t.names).toEqual(["id", "price", "sym", "flag"]);
    expect(t.attrs).toEqual({ note: "ctable vector" });
    expect(t.length).toBe(7777);
    expect(t.lengths).toEqual([7777, 7777, 7777, 7777]);
    expect(t.columns.map((c) => c.dtype.str)).toEqual(["int64", "float64", "|S4", "bool"]);
    expect(t.columns.map((c) => c.chunklen)).toEqual([2000, 2000, 2000, 2000]);
    for (const [i, name] of t.names.entries()) {
      const v = m.vectors.find((x) => x.rootdir === `ctable_basic/${name}`)!;
      expect(Buffer.from(await t.columns[i]!.readAll()).equals(Buffer.from(expectedBytes(v)))).toBe(true);
    }
    const ds = await DirectoryStore.open(join(FIXTURES, "ctable_basic"));
    try {
      const t2 = await openCTable(ds, "");
      expect(t2.length).toBe(7777);
      expect(t2.attrs).toEqual({ note: "ctable vector" });
    } finally {
      await ds.close();
    }
  });

  it("ignores directories not listed in __rootdirs__ and clamps to the shortest column", async () => {
    const store = fixtureStore("ctable_basic");
    await setText(store, "orphan/meta/sizes", '{"shape": [5], "nbytes": 20, "cbytes": 0}\n');
    await setText(store, "__rootdirs__", '{"names": ["id", "flag"]}\n');
    await setText(store, "flag/meta/sizes", '{"shape": [7000], "nbytes": 7000, "cbytes": 0}\n');
    const t = await openCTable(store, "");
    expect(t.names).toEqual(["id", "flag"]);
    expect(t.lengths).toEqual([7777, 7000]);
    expect(t.length).toBe(7000);
  });
});

describe("legacy variants (reference §14)", () => {
  const i4 = m.vectors.find((v) => v.rootdir === "i4_blosclz_sh1")!;

  async function readWith(edit: (s: MemoryStore) => Promise<void>, name = "i4_blosclz_sh1"): Promise<CArrayReader> {
    const store = fixtureStore(name);
    await edit(store);
    return CArrayReader.open(store, "");
  }

  it("shuffle as a boolean, missing cname and quantize, Python 2 key order", async () => {
    const r = await readWith(async (s) => {
      await setText(
        s,
        "meta/storage",
        '{"chunklen": 3000, "dtype": "int32", "expectedlen": 10007, "dflt": 0, "cparams": {"shuffle": true, "clevel": 5}}\n',
      );
      await setText(s, "meta/sizes", '{"nbytes": 40028, "shape": [10007], "cbytes": 13435}\n');
    });
    expect(r.cparams).toEqual({ clevel: 5, shuffle: 1, cname: "blosclz", quantize: 0 });
    expect(Buffer.from(await r.readAll()).equals(Buffer.from(expectedBytes(i4)))).toBe(true);
    const r0 = await readWith(async (s) => {
      await setText(
        s,
        "meta/storage",
        '{"chunklen": 3000, "dtype": "<i4", "cparams": {"shuffle": false, "clevel": 1}}\n',
      );
    });
    expect(r0.cparams.shuffle).toBe(0);
    expect(r0.dflt).toBe(null);
    expect(r0.expectedlen).toBe(3000);
  });

  it("stale chunk files beyond the length, ._* files and .gitkeep are ignored", async () => {
    const r = await readWith(async (s) => {
      await setText(s, "meta/sizes", '{"shape": [9000], "nbytes": 36000, "cbytes": 0}\n');
      await s.set("data/._0.blp", new Uint8Array([0, 5, 22, 7]));
      await s.set("data/__99.blp", new Uint8Array([1, 2, 3]));
      await s.set("._meta", new Uint8Array([1]));
    });
    expect(r.nchunks).toBe(3);
    expect(Buffer.from(await r.readAll()).equals(Buffer.from(expectedBytes(i4).subarray(0, 36000)))).toBe(true);
  });

  it("a leftover file holding extra rows is sliced", async () => {
    // length 10000 → chunk 3 holds 1007 rows, only 1000 valid
    const r = await readWith(async (s) =>
      setText(s, "meta/sizes", '{"shape": [10000], "nbytes": 40000, "cbytes": 0}\n'),
    );
    expect(r.leftover).toBe(1000);
    expect((await r.readChunk(3)).length).toBe(4000);
    expect(Buffer.from(await r.readAll()).equals(Buffer.from(expectedBytes(i4).subarray(0, 40000)))).toBe(true);
    // length 9500: a full chunk file serves as leftover of 500 rows
    const r2 = await readWith(async (s) =>
      setText(s, "meta/sizes", '{"shape": [8500], "nbytes": 34000, "cbytes": 0}\n'),
    );
    expect(
      Buffer.from(await r2.readRows(8000, 8500)).equals(Buffer.from(expectedBytes(i4).subarray(32000, 34000))),
    ).toBe(true);
  });

  it("NaN dflt, Infinity in attrs, missing or empty __attrs__", async () => {
    const r = await readWith(async (s) => {
      await setText(
        s,
        "meta/storage",
        '{"dtype": "float32", "cparams": {"clevel": 5, "shuffle": 1, "cname": "lz4", "quantize": 0}, "chunklen": 1000, "expectedlen": 6000, "dflt": NaN}\n',
      );
      await setText(s, "__attrs__", '{"lo": -Infinity, "hi": Infinity, "s": "NaN inside a string"}\n');
    }, "f4_2d");
    expect(r.dflt).toBeNaN();
    expect(r.attrs).toEqual({ lo: -Infinity, hi: Infinity, s: "NaN inside a string" });
    const r2 = await readWith(async (s) => s.delete("__attrs__"));
    expect(r2.attrs).toEqual({});
    const r3 = await readWith(async (s) => s.set("__attrs__", new Uint8Array(0)));
    expect(r3.attrs).toEqual({});
  });

  it("a big-endian dtype string reads the same bytes and swaps to native", async () => {
    const r = await readWith(async (s) => {
      const st = text(await s.get("meta/storage")).replace('"int32"', '">i4"');
      await setText(s, "meta/storage", st);
    });
    expect(r.dtype).toMatchObject({ str: ">i4", byteOrder: ">" });
    const raw = await r.readChunk(0);
    const native = toTypedArray(raw, r.dtype) as Int32Array;
    const le = new DataView(raw.buffer, raw.byteOffset);
    expect(native[1]).toBe(le.getInt32(4, false));
  });
});
