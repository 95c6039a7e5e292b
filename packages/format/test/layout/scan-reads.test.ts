import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compress, ready } from "@colz/blosc-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDtype } from "../../src/dtype/dtype.js";
import { CArrayReader } from "../../src/layout/carray-reader.js";
import { CArrayWriter } from "../../src/layout/carray-writer.js";
import { chunkKey, decodeChunkFileSync, encodeChunkFile } from "../../src/layout/chunk-file.js";
import { chunkStatsKey, computeChunkStats, encodeChunkStats } from "../../src/layout/extensions/chunk-stats.js";
import { DirectoryStore } from "../../src/store/directory-store.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/types.js";
import { expectColzError } from "./helpers.js";

// Scans read through two paths: synchronous (stores with getRangeIntoSync: files, memory),
// where chunk files go straight into the codec's memory, and asynchronous (every other store).
// Both must return the same bytes and catch the same damage, with sidecars cached per reader.

const dirs: string[] = [];
beforeAll(async () => {
  await ready();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The store without its synchronous methods: readers take the asynchronous path. */
function asyncOnly(inner: Store): Store {
  return {
    description: inner.description,
    readOnly: inner.readOnly,
    get: (k) => inner.get(k),
    getRange: (k, o, l) => inner.getRange(k, o, l),
    size: (k) => inner.size(k),
    has: (k) => inner.has(k),
    set: (k, v) => inner.set(k, v),
    delete: (k) => inner.delete(k),
    list: (p) => inner.list(p),
    commit: () => inner.commit(),
    lock: (o) => inner.lock(o),
    close: () => inner.close(),
  };
}

/** Counts synchronous reads per key (the memory store's, delegated). */
function counting(inner: MemoryStore): { store: Store; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const store = Object.create(inner) as MemoryStore;
  store.getRangeIntoSync = (key, offset, target) => {
    reads.set(key, (reads.get(key) ?? 0) + 1);
    return inner.getRangeIntoSync(key, offset, target);
  };
  return { store, reads };
}

/** float64 rows i * 0.25 + noise-like low bytes: compressible high bytes, raw low streams. */
function rows(n: number, seed = 1): Float64Array {
  const out = new Float64Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = 1000 + (x % 20000) / 100;
  }
  return out;
}

async function writeCArray(store: Store, values: Float64Array, chunklen: number): Promise<void> {
  const w = await CArrayWriter.create(store, "p/", { dtype: "float64", chunklen });
  const bytes = new Uint8Array(values.buffer);
  const size = chunklen * 8;
  for (let i = 0; i * size < bytes.length; i++) await w.writeChunk(i, bytes.subarray(i * size, (i + 1) * size));
  await w.commit(values.length);
}

describe("sync and async scans", () => {
  it("return the same rows for any range, from files, memory and async-only stores", async () => {
    const values = rows(5 * 1000 + 123);
    const mem = new MemoryStore();
    await writeCArray(mem, values, 1000);
    const dir = mkdtempSync(join(tmpdir(), "colz-scan-"));
    dirs.push(dir);
    const disk = await DirectoryStore.open(dir, { mode: "w" });
    await writeCArray(disk, values, 1000);
    const all = new Uint8Array(values.buffer);
    for (const store of [mem, disk, asyncOnly(mem), asyncOnly(disk)]) {
      const r = await CArrayReader.open(store, "p/");
      expect(r.length).toBe(values.length);
      for (const [a, b] of [
        [0, values.length],
        [0, 1000],
        [999, 2001],
        [4500, 5123],
        [5000, 5123],
        [7, 7],
      ] as const) {
        const got = await r.readRows(a, b);
        expect(Buffer.compare(got, all.subarray(a * 8, b * 8))).toBe(0);
        const out = new Uint8Array((b - a) * 8 + 16).fill(0xee);
        await r.readRows(a, b, out);
        expect(Buffer.compare(out.subarray(0, (b - a) * 8), all.subarray(a * 8, b * 8))).toBe(0);
        expect(out.subarray((b - a) * 8).every((x) => x === 0xee)).toBe(true); // nothing written past the rows
      }
    }
    await disk.close();
  });

  it("read each sidecar once per reader, and read them again after a reopen", async () => {
    const mem = new MemoryStore();
    await writeCArray(mem, rows(4000), 1000);
    const { store, reads } = counting(mem);
    const r = await CArrayReader.open(store, "p/");
    await r.readRows(0, 4000);
    await r.readRows(0, 4000);
    expect(reads.get(chunkKey("p/", 2))).toBe(2);
    expect(reads.get(chunkStatsKey("p/", 2))).toBe(1);
    const again = await CArrayReader.open(store, "p/");
    await again.readRows(0, 4000);
    expect(reads.get(chunkStatsKey("p/", 2))).toBe(2);
  });
});

describe("damage after the sidecars were cached", () => {
  for (const [name, wrap] of [
    ["sync", (s: Store) => s],
    ["async", asyncOnly],
  ] as const) {
    it(`${name}: a chunk damaged after its first read still fails its checksum`, async () => {
      const mem = new MemoryStore();
      await writeCArray(mem, rows(3000), 1000);
      const r = await CArrayReader.open(wrap(mem), "p/");
      await r.readRows(0, 3000); // caches every sidecar
      const key = chunkKey("p/", 1);
      const f = (await mem.get(key))!;
      f[f.length - 3]! ^= 0x10; // a raw-stream byte: the decoder cannot notice
      await mem.set(key, f);
      await expectColzError(() => r.readRows(0, 3000), "ERR_CORRUPT_CHUNK", "p/data/__1.blp: XXH64");
      await expectColzError(() => r.readChunk(1), "ERR_CORRUPT_CHUNK", "XXH64");
    });

    it(`${name}: a chunk and sidecar replaced behind the reader are checked against the new sidecar`, async () => {
      const mem = new MemoryStore();
      await writeCArray(mem, rows(2000), 1000);
      const r = await CArrayReader.open(wrap(mem), "p/");
      await r.readRows(0, 2000);
      // Another writer truncated and re-appended: same sizes, other bytes, a matching new sidecar.
      const other = rows(1000, 99);
      const otherBytes = new Uint8Array(other.buffer);
      let chunk = compress(otherBytes, { typesize: 8, cname: "blosclz", clevel: 5, shuffle: "shuffle" });
      const old = (await mem.get(chunkKey("p/", 0)))!;
      expect(chunk.length).not.toBe(old.length - 16); // differing cbytes: a stale cached sidecar no longer "matches"
      await mem.set(chunkKey("p/", 0), encodeChunkFile(chunk));
      const dtype = parseDtype("float64", "t");
      await mem.set(chunkStatsKey("p/", 0), encodeChunkStats(computeChunkStats(chunk, otherBytes, dtype, 1), dtype));
      expect(Buffer.compare(await r.readChunk(0), otherBytes)).toBe(0);
      // ... and when the new chunk is then damaged, that is still caught.
      chunk = encodeChunkFile(chunk);
      chunk[chunk.length - 1]! ^= 1;
      await mem.set(chunkKey("p/", 0), chunk);
      await expectColzError(() => r.readChunk(0), "ERR_CORRUPT_CHUNK", "XXH64");
    });

    it(`${name}: a same-size chunk replaced behind the reader fails the cached sidecar, then passes the fresh one`, async () => {
      const mem = new MemoryStore();
      const dtype = parseDtype("float64", "t");
      const w = await CArrayWriter.create(mem, "p/", { dtype, chunklen: 1000, cparams: { clevel: 0 } });
      await w.writeChunk(0, new Uint8Array(rows(1000).buffer));
      await w.writeChunk(1, new Uint8Array(rows(1000, 2).buffer));
      await w.commit(2000);
      const { store, reads } = counting(mem);
      const r = await CArrayReader.open(wrap(store), "p/");
      await r.readRows(0, 2000); // caches both sidecars
      // Stored chunks of the same rows have the same cbytes: the cached sidecar still "matches".
      const otherBytes = new Uint8Array(rows(1000, 77).buffer);
      const chunk = compress(otherBytes, { typesize: 8, clevel: 0 });
      expect(chunk.length + 16).toBe((await mem.get(chunkKey("p/", 1)))!.length);
      await mem.set(chunkKey("p/", 1), encodeChunkFile(chunk));
      await mem.set(chunkStatsKey("p/", 1), encodeChunkStats(computeChunkStats(chunk, otherBytes, dtype, 1), dtype));
      const before = reads.get(chunkStatsKey("p/", 1)) ?? 0;
      expect(Buffer.compare(await r.readChunk(1), otherBytes)).toBe(0);
      if (name === "sync") expect(reads.get(chunkStatsKey("p/", 1))).toBe(before + 1); // read again, once
    });
  }
});

describe("decodeChunkFileSync", () => {
  it("decodes into out, returns undefined for a missing key, names the key on damage", async () => {
    const mem = new MemoryStore();
    const data = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
    await mem.set("c", encodeChunkFile(compress(data, { typesize: 4, cname: "lz4" })));
    const out = new Uint8Array(4096);
    const got = decodeChunkFileSync(mem, "c", 4096 + 16, () => {}, out);
    expect(got?.buffer).toBe(out.buffer);
    expect(Buffer.compare(out, data)).toBe(0);
    expect(decodeChunkFileSync(mem, "missing", 4096 + 16, () => {})).toBeUndefined();
    expect(() => decodeChunkFileSync(mem, "c", 100, () => {})).toThrow(/chunk file c: Blosc cbytes \d+ exceeds 100/);
    expect(() =>
      decodeChunkFileSync(mem, "c", 4096 + 16, () => {
        throw new Error("refused by inspect");
      }),
    ).toThrow("refused by inspect");
    const f = (await mem.get("c"))!;
    await mem.set("c", f.subarray(0, f.length - 5));
    expect(() => decodeChunkFileSync(mem, "c", 4096 + 16, () => {})).toThrow(/chunk file c: .*truncated/);
  });
});

describe("getRangeIntoSync", () => {
  it("reads a range into the caller's buffer, fewer bytes at the end, undefined when missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "colz-sync-"));
    dirs.push(dir);
    const disk = await DirectoryStore.open(dir, { mode: "w" });
    const mem = new MemoryStore();
    const value = new Uint8Array(100).map((_, i) => i);
    for (const s of [disk, mem]) {
      await s.set("a/b", value);
      await s.commit();
      const target = new Uint8Array(30).fill(0xff);
      expect(s.getRangeIntoSync("a/b", 10, target)).toBe(30);
      expect([...target]).toEqual([...value.subarray(10, 40)]);
      expect(s.getRangeIntoSync("a/b", 90, target)).toBe(10);
      expect([...target.subarray(0, 10)]).toEqual([...value.subarray(90)]);
      expect(s.getRangeIntoSync("a/missing", 0, target)).toBeUndefined();
      expect(s.getRangeIntoSync("a/b", 200, target)).toBe(0);
    }
    await disk.close();
  });
});
