import * as fs from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import type { CTable } from "@colz/ctable";
import { encodeZipArchive, ZipBufferStore } from "@colz/format/node";
import { afterEach, describe, expect, it } from "vitest";
import { encodeKey } from "../src/key-codec.js";
import { KeyStore } from "../src/node.js";
import { tempDir } from "./helpers.js";

/** The CommonJS module object: patchable, unlike the frozen ESM namespace. */
const fsModule = createRequire(import.meta.url)("node:fs") as typeof fs;

// The zip layout's fast paths: getColumns reads a value with ONE open and ONE read (not a read
// per member) and decodes it without CTable; set writes it with one vectored write and no lock
// file. File-system calls are counted by patching node:fs (synced into the ESM namespace), so
// a change that brings back per-member reads fails here.

const SYNC = ["openSync", "readSync", "writeSync", "writevSync", "fstatSync"] as const;
const ASYNC = ["open", "readFile", "writeFile", "stat", "lstat"] as const;
const calls = new Map<string, number>();
const restore: (() => void)[] = [];

function count(target: Record<string, unknown>, names: readonly string[], prefix: string): void {
  for (const name of names) {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = (...args: unknown[]) => {
      calls.set(`${prefix}${name}`, (calls.get(`${prefix}${name}`) ?? 0) + 1);
      return original(...args);
    };
    restore.push(() => {
      target[name] = original;
    });
  }
}

function startCounting(): void {
  calls.clear();
  // The module object (not the ESM namespace, which is frozen); synced into the namespace below.
  count(fsModule as unknown as Record<string, unknown>, SYNC, "");
  count(fsModule.promises as unknown as Record<string, unknown>, ASYNC, "promises.");
  syncBuiltinESMExports();
}

function stopCounting(): Record<string, number> {
  for (const undo of restore.splice(0)) undo();
  syncBuiltinESMExports();
  return Object.fromEntries(calls);
}

afterEach(() => {
  if (restore.length > 0) stopCounting();
});

/** A value of several chunks per column, with a leftover chunk. */
function bigValue(rows: number): { i: BigInt64Array; f: Float64Array; b: Uint8Array } {
  const i = BigInt64Array.from({ length: rows }, (_, k) => BigInt((k * 7919) % 1000));
  const f = Float64Array.from({ length: rows }, (_, k) => Math.sin(k));
  const b = Uint8Array.from({ length: rows }, (_, k) => k % 2);
  return { i, f, b };
}

function zipPath(root: string, key: string): string {
  const name = encodeKey(key, 2);
  return join(root, name.bucket, `${name.stem}.zip`);
}

describe("zip layout fast paths", () => {
  it("getColumns reads a value with one open and one read, and set writes it with one file and no lock", async () => {
    const root = join(tempDir("fast"), "store");
    const ks = await KeyStore.open(root, { mode: "a", sync: false });
    const value = bigValue(100_000); // 3-4 chunks per column at the default chunklen
    startCounting();
    await ks.set("AAPL", value, { chunklen: 30_000 });
    const writeCalls = stopCounting();
    // One temp file: one open, its parts in one writev (a few at most), no lock file, no read.
    expect(writeCalls.openSync).toBe(1);
    expect((writeCalls.writevSync ?? 0) + (writeCalls.writeSync ?? 0)).toBeLessThanOrEqual(2);
    expect(writeCalls["promises.open"] ?? 0).toBe(0);
    expect(writeCalls.readSync ?? 0).toBe(0);
    expect(fs.readdirSync(join(root, encodeKey("AAPL", 2).bucket))).toEqual([`${encodeKey("AAPL", 2).stem}.zip`]);

    startCounting();
    const cols = await ks.getColumns("AAPL");
    const readCalls = stopCounting();
    expect(readCalls.openSync).toBe(1);
    expect(readCalls.readSync).toBe(1);
    expect(readCalls.fstatSync).toBe(1);
    expect(readCalls["promises.open"] ?? 0).toBe(0);
    expect(readCalls["promises.readFile"] ?? 0).toBe(0);
    expect(cols).toEqual(value);
    expect(cols?.i).toBeInstanceOf(BigInt64Array);
    expect(cols?.f).toBeInstanceOf(Float64Array);
    await ks.close();
  });

  it("returns what the general CTable path returns: subsets, raw, empty and uneven columns, missing keys", async () => {
    const root = join(tempDir("fast"), "store");
    const ks = await KeyStore.open(root, { mode: "a", sync: false });
    await ks.set("v", bigValue(12_345), { chunklen: 1000 });
    await ks.set("empty", { x: new Float64Array(0) });
    await ks.set("none", []);
    for (const key of ["v", "empty", "none"]) {
      const table = (await ks.get(key)) as CTable;
      const general: Record<string, unknown> = {};
      for (const c of table.columnNames) general[c] = await table.readColumn(c, 0, table.length);
      await table.close();
      expect(await ks.getColumns(key, undefined, { raw: true })).toEqual(general);
    }
    expect(Object.keys((await ks.getColumns("v", ["f", "i"])) ?? {})).toEqual(["f", "i"]);
    expect(await ks.getColumns("missing")).toBeUndefined();
    // Values the fast path leaves to CTable (variable-length, nullable) still read the same.
    await ks.set("s", { name: ["a", null, "ccc"], n: [1, null, 3] });
    expect(await ks.getColumns("s")).toEqual({ name: ["a", null, "ccc"], n: expect.any(Object) });
    await ks.close();
  });

  it("a damaged chunk is ERR_CORRUPT_CHUNK naming the member; damaged metadata ERR_CORRUPT_CHUNK or ERR_CORRUPT_META", async () => {
    const root = join(tempDir("fast"), "store");
    const ks = await KeyStore.open(root, { mode: "a", sync: false });
    await ks.set("k", bigValue(5000), { chunklen: 1000, cparams: { clevel: 0 } }); // MEMCPYED: Blosc cannot notice
    const file = zipPath(root, "k");
    const good = fs.readFileSync(file);
    const zip = await ZipBufferStore.open(good, file);
    expect([...zip.names()]).toContain("f/data/__2.blp");
    // Flip one payload byte of f's chunk 2 (found by its bytes: it is the only place they occur).
    const payload = (await zip.get("f/data/__2.blp")) as Uint8Array;
    const at = Buffer.from(good).indexOf(Buffer.from(payload.subarray(100, 140)));
    const bad = Buffer.from(good);
    bad[at + 5]! ^= 0x10;
    fs.writeFileSync(file, bad);
    // Checked against the chunk's sidecar (XXH64), not by a CRC-32 pass over the member first.
    await expect(ks.getColumns("k")).rejects.toMatchObject({
      code: "ERR_CORRUPT_CHUNK",
      message: expect.stringMatching(/f\/data\/__2\.blp: XXH64 0x[0-9a-f]{16} does not match its sidecar/),
    });
    // Damaged metadata: the member CRC catches it before the JSON parser sees it.
    const sizes = (await zip.get("i/meta/sizes")) as Uint8Array;
    const at2 = Buffer.from(good).indexOf(Buffer.from(sizes));
    const bad2 = Buffer.from(good);
    bad2[at2 + 2] = 0x7b;
    fs.writeFileSync(file, bad2);
    await expect(ks.getColumns("k")).rejects.toMatchObject({ code: "ERR_CORRUPT_CHUNK" });
    // Not a zip file at all: as ZipStore reports it.
    fs.writeFileSync(file, "not a zip file, just text");
    await expect(ks.getColumns("k")).rejects.toMatchObject({ code: "ERR_NOT_A_CONTAINER" });
    fs.writeFileSync(file, good);
    expect((await ks.getColumns("k"))?.f).toEqual(bigValue(5000).f);
    await ks.close();
  });

  it("chunks without a sidecar, or with a stale one, are checked by the member's CRC-32", async () => {
    const root = join(tempDir("fast"), "store");
    const ks = await KeyStore.open(root, { mode: "a", sync: false });
    const value = bigValue(5000);
    await ks.set("plain", value, { chunklen: 1000, cparams: { clevel: 0 }, chunkStats: false });
    await ks.set("stale", value, { chunklen: 1000, cparams: { clevel: 0 } });
    // "stale": the archive rewritten (valid CRCs) with f's chunk-2 sidecar describing other sizes,
    // as after a foreign writer replaced the chunk: it must be ignored, not trusted.
    const staleFile = zipPath(root, "stale");
    const original = await ZipBufferStore.open(fs.readFileSync(staleFile), staleFile);
    const members = [...original.names()].map((name) => {
      let bytes = original.getSync(name) as Uint8Array;
      if (name === "f/data/__2.colz") {
        const text = Buffer.from(bytes).toString("utf8");
        const edited = text.replace(/"nbytes": \d+/, '"nbytes": 12345');
        expect(edited).not.toBe(text);
        bytes = new Uint8Array(Buffer.from(edited));
      }
      return { name, bytes };
    });
    fs.writeFileSync(staleFile, Buffer.concat(encodeZipArchive(members).parts));
    expect(await ks.getColumns("stale")).toEqual(value);
    for (const key of ["plain", "stale"]) {
      const file = zipPath(root, key);
      const good = fs.readFileSync(file);
      const zip = await ZipBufferStore.open(good, file);
      expect([...zip.names()].includes("f/data/__2.colz")).toBe(key === "stale");
      const payload = (await zip.get("f/data/__2.blp")) as Uint8Array;
      const bad = Buffer.from(good);
      const at = bad.indexOf(Buffer.from(payload.subarray(100, 140)));
      bad[at + 5]! ^= 0x10; // MEMCPYED payload: only a checksum can notice
      fs.writeFileSync(file, bad);
      await expect(ks.getColumns(key)).rejects.toMatchObject({
        code: "ERR_CORRUPT_CHUNK",
        message: expect.stringMatching(/"f\/data\/__2\.blp".*fails its CRC-32 check/),
      });
    }
    await ks.close();
  });
});
