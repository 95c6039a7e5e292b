import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpStore, isColzError, MemoryStore, type Store } from "@colz/format";
import { afterAll, describe, expect, inject, it } from "vitest";
import { CTable } from "../src/ctable/ctable.js";
import {
  closeScanWorkers,
  createArray,
  createTable,
  openArray,
  openStore,
  openTable,
  scanWorkerStats,
} from "../src/node.js";
import type { ColumnValues } from "../src/types.js";
import { startChild } from "./core/child.js";
import { tempPath } from "./core/harness.js";

// readColumn(..., { threads }): chunks split between this thread and worker threads that open
// the directory store themselves. The results must be byte-identical to one thread's, damage
// must surface as the same typed error, and stores workers cannot open fall back to one thread.
// `scanWorkerStats().jobs` counts parts sent to workers: it proves which path a read took.

afterAll(() => closeScanWorkers());

const N = 1037; // 10 full chunks of 100 rows and a leftover of 37
const CHUNKLEN = 100;

function columns(): Record<string, ArrayBufferView> {
  const f = (i: number) => ((i * 7919) % 1000) - 500;
  return {
    i8: Int8Array.from({ length: N }, (_, i) => f(i) % 128),
    u8: Uint8Array.from({ length: N }, (_, i) => i % 256),
    i16: Int16Array.from({ length: N }, (_, i) => f(i) * 31),
    u16: Uint16Array.from({ length: N }, (_, i) => (i * 97) % 65536),
    i32: Int32Array.from({ length: N }, (_, i) => f(i) * 100_003),
    u32: Uint32Array.from({ length: N }, (_, i) => (i * 2_654_435_761) >>> 0),
    i64: BigInt64Array.from({ length: N }, (_, i) => BigInt(f(i)) * 10_000_000_007n),
    u64: BigUint64Array.from({ length: N }, (_, i) => BigInt(i) * 18_446_744_073_709n),
    f32: Float32Array.from({ length: N }, (_, i) => f(i) / 3),
    f64: Float64Array.from({ length: N }, (_, i) => f(i) * Math.PI),
  };
}

function bytes(v: ColumnValues): Uint8Array {
  if (v.kind !== "fixed") throw new Error("expected a fixed column");
  return new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
}

/** A shared output of `n` rows of `itemsize` bytes, filled with a marker byte. */
function sharedOut(bytesLen: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(bytesLen)).fill(0xa5);
}

async function directoryTable(cols: Record<string, ArrayBufferView>): Promise<string> {
  const path = tempPath();
  const t = await createTable(path, cols as never, { mode: "w", chunklen: CHUNKLEN, sync: false });
  await t.close();
  return path;
}

/** A fetch serving the files under `dir` (GET with Range, 404 when missing): an HTTP store without sockets. */
function filesFetch(dir: string): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const file = join(dir, ...url.pathname.split("/").filter(Boolean).map(decodeURIComponent));
    if (!existsSync(file) || !statSync(file).isFile()) return new Response(null, { status: 404 });
    const body = readFileSync(file);
    const range = /bytes=(\d+)-(\d*)/.exec(new Headers(init?.headers).get("range") ?? "");
    if (range === null) return new Response(body, { status: 200 });
    const start = Math.min(Number(range[1]), body.length);
    const end = range[2] === "" ? body.length : Math.min(Number(range[2]) + 1, body.length);
    const headers = { "content-range": `bytes ${start}-${end - 1}/${body.length}` };
    return new Response(body.subarray(start, end), { status: 206, headers });
  }) as typeof fetch;
}

const SLICES: [number, number][] = [
  [0, N], // everything, leftover included
  [0, 1000], // full chunks only
  [37, 1001], // starts and ends mid-chunk
  [250, 450], // two chunks
  [199, 201], // across one boundary
  [1000, N], // the leftover alone (one chunk: one thread)
  [5, 5], // nothing
];

describe("threaded scans", () => {
  it("give the same bytes as one thread for every fixed-width dtype, slice and thread count", async () => {
    const cols = columns();
    const t = await openTable(await directoryTable(cols));
    const before = scanWorkerStats().jobs;
    for (const name of Object.keys(cols)) {
      const itemsize = (cols[name] as ArrayBufferView & { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      for (const [a, b] of SLICES) {
        const one = bytes(await t.readColumn(name, a, b));
        expect(one).toEqual(new Uint8Array(cols[name]!.buffer, a * itemsize, (b - a) * itemsize));
        for (const threads of [2, 3, 8]) {
          const out = sharedOut((b - a) * itemsize + 16);
          const v = await t.readColumn(name, a, b, { out, threads });
          expect(bytes(v).buffer).toBe(out.buffer);
          expect(bytes(v), `${name} ${a}..${b} threads ${threads}`).toEqual(one);
          expect(out.subarray((b - a) * itemsize).every((x) => x === 0xa5)).toBe(true); // nothing past the rows
        }
      }
    }
    expect(scanWorkerStats().jobs).toBeGreaterThan(before);
    await t.close();
  });

  it("without `out`, returns an array backed by a SharedArrayBuffer, and bool columns work too", async () => {
    const flags = Array.from({ length: N }, (_, i) => i % 3 === 0);
    const path = tempPath();
    const w = await createTable(path, [{ name: "b", dtype: "bool" }], { mode: "w", chunklen: CHUNKLEN, sync: false });
    await w.append({ b: flags });
    await w.close();
    const t = await openTable(path);
    const before = scanWorkerStats().jobs;
    const v = await t.readColumn("b", 3, N - 2, { threads: 2 });
    expect(bytes(v).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bytes(v)).toEqual(bytes(await t.readColumn("b", 3, N - 2)));
    expect(scanWorkerStats().jobs).toBe(before + 1);
    await t.close();
  });

  it("CArray.readValues takes the same option", async () => {
    const path = tempPath();
    const x = Int32Array.from({ length: N }, (_, i) => i * 3 - 1000);
    await (await createArray(path, x, { chunklen: CHUNKLEN, sync: false })).close();
    const a = await openArray(path);
    const before = scanWorkerStats().jobs;
    const out = new Int32Array(new SharedArrayBuffer(N * 4));
    const v = await a.readValues(11, N, { out, threads: 2 });
    expect(bytes(v)).toEqual(new Uint8Array(x.buffer, 44));
    expect(scanWorkerStats().jobs).toBe(before + 1);
    await a.close();
  });

  it("a writer's scan sees committed and uncommitted rows alike", async () => {
    const path = tempPath();
    const t = await createTable(path, { x: new Float64Array(0) }, { mode: "w", chunklen: CHUNKLEN, sync: false });
    const model = Float64Array.from({ length: 2345 }, (_, i) => i * 1.25);
    await t.append({ x: model.subarray(0, 1500) });
    await t.flush();
    await t.append({ x: model.subarray(1500) }); // full chunks written, not committed, plus a partial one
    for (const [a, b] of [
      [0, 2345],
      [150, 2001],
    ] as const) {
      const out = new Float64Array(new SharedArrayBuffer((b - a) * 8));
      await t.readColumn("x", a, b, { out, threads: 3 });
      expect(out).toEqual(model.subarray(a, b));
    }
    await t.close();
  });

  it("damage in a chunk a worker reads is the typed error naming the file, as on one thread", async () => {
    const x = Float64Array.from({ length: N }, (_, i) => Math.sin(i) * 1000);
    const path = await directoryTable({ x });
    // The calling thread takes the first chunks, workers the rest: damage chunk 9 (full, last worker's).
    const file = join(path, "x", "data", "__9.blp");
    const f = readFileSync(file);
    f[f.length - 3]! ^= 0x10;
    writeFileSync(file, f);
    for (const verifyChecksums of [true, false]) {
      const t = await openTable(path, { verifyChecksums });
      const single = await t.readColumn("x", 0, N).catch((e: unknown) => e);
      // Without checksums a flipped byte may still decode: then only the checked read must fail.
      if (verifyChecksums) expect(isColzError(single, "ERR_CORRUPT_CHUNK")).toBe(true);
      const before = scanWorkerStats().jobs;
      const out = new Float64Array(new SharedArrayBuffer(N * 8));
      const threaded = await t.readColumn("x", 0, N, { out, threads: 2 }).catch((e: unknown) => e);
      expect(scanWorkerStats().jobs).toBe(before + 1);
      if (single instanceof Error) {
        expect(isColzError(threaded, "ERR_CORRUPT_CHUNK"), String(threaded)).toBe(true);
        expect((threaded as Error).message).toBe(single.message);
        expect((threaded as Error).message).toMatch(/x\/data\/__9\.blp/);
      } else {
        expect(threaded).not.toBeInstanceOf(Error);
        expect(out).toEqual((single as ColumnValues & { data: Float64Array }).data);
      }
      await t.close();
    }
    // A missing chunk file read by a worker: the same error as well.
    const { rmSync } = await import("node:fs");
    rmSync(file);
    const t = await openTable(path, { verifyChecksums: false });
    const single = await t.readColumn("x", 0, N).catch((e: unknown) => e);
    const out = new Float64Array(new SharedArrayBuffer(N * 8));
    const threaded = await t.readColumn("x", 0, N, { out, threads: 2 }).catch((e: unknown) => e);
    expect(isColzError(threaded, "ERR_CORRUPT_CHUNK")).toBe(true);
    expect((threaded as Error).message).toBe((single as Error).message);
    await t.close();
  });

  it("falls back to one thread for memory, zip and HTTP stores and for unshared outputs", async () => {
    const x = Float64Array.from({ length: N }, (_, i) => i / 7);
    const dir = await directoryTable({ x });
    const zip = tempPath(".zip");
    const z = await createTable(zip, { x }, { mode: "w", chunklen: CHUNKLEN, sync: false });
    await z.close();
    {
      const stores: [string, Store][] = [
        ["memory", new MemoryStore()],
        ["zip", await openStore(zip, "r")],
        ["http", await HttpStore.open("http://colz.test/", { fetch: filesFetch(dir) })],
      ];
      await CTable.create(stores[0]![1], { x }, { chunklen: CHUNKLEN });
      for (const [name, store] of stores) {
        const t = await CTable.open(store);
        const before = scanWorkerStats().jobs;
        const out = new Float64Array(new SharedArrayBuffer(N * 8));
        await t.readColumn("x", 0, N, { out, threads: 4 });
        expect(out, name).toEqual(x);
        const v = await t.readColumn("x", 1, N, { threads: 4 }); // no `out`: a plain array here
        expect(bytes(v).buffer, name).toBeInstanceOf(ArrayBuffer);
        expect(scanWorkerStats().jobs, name).toBe(before);
        await t.close();
        await store.close();
      }
      // A directory store with an `out` in a plain ArrayBuffer: one thread too.
      const t = await openTable(dir);
      const before = scanWorkerStats().jobs;
      const out = new Float64Array(N);
      await t.readColumn("x", 0, N, { out, threads: 2 });
      expect(out).toEqual(x);
      expect(scanWorkerStats().jobs).toBe(before);
      await t.close();
    }
  });

  it("refuses a bad thread count; closeScanWorkers ends the pool and the next read starts it again", async () => {
    const x = Float64Array.from({ length: N }, (_, i) => i);
    const t = await openTable(await directoryTable({ x }));
    for (const threads of [0, 1.5, -1, 65, Number.NaN]) {
      await expect(t.readColumn("x", 0, N, { threads })).rejects.toSatisfy((e: unknown) =>
        isColzError(e, "ERR_BAD_ARGUMENT"),
      );
    }
    await t.readColumn("x", 0, N, { threads: 3 });
    expect(scanWorkerStats().workers).toBeGreaterThanOrEqual(2);
    await closeScanWorkers();
    expect(scanWorkerStats().workers).toBe(0);
    const v = await t.readColumn("x", 0, N, { threads: 2 });
    expect(bytes(v)).toEqual(new Uint8Array(x.buffer));
    expect(scanWorkerStats().workers).toBe(1);
    await t.close();
  });

  it("idle workers do not keep the process alive", async () => {
    const x = Float64Array.from({ length: N }, (_, i) => i);
    const path = await directoryTable({ x });
    const child = startChild("threaded-scan.mjs", [inject("colzCtableBundle"), path]);
    const line = await child.waitFor(/^read /);
    expect(line).toBe(`read ${(N * (N - 1)) / 2} workers 1`);
    // The child has nothing left to do: it must exit on its own, long before this gives up.
    const exited = await Promise.race([
      child.exited.then(() => true),
      new Promise<boolean>((ok) => setTimeout(() => ok(false), 20_000)),
    ]);
    if (!exited) child.proc.kill("SIGKILL");
    expect(exited, child.stderr()).toBe(true);
    expect(child.proc.exitCode, child.stderr()).toBe(0);
  });
});
