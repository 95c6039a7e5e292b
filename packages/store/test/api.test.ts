import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CTable } from "@colz/ctable";
import { DirectoryStore, MemoryStore } from "@colz/format/node";
import { tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { encodeKey } from "../src/key-codec.js";
import { KeyStore } from "../src/node.js";
import { allKeys, BACKINGS, newPlace, openAt, smallValue, tempDir } from "./helpers.js";

describe.each(BACKINGS)("KeyStore API (%s)", (backing) => {
  it("stores columns of every kind and returns them from getColumns and get", async () => {
    const ks = await openAt(newPlace(backing), { mode: "a" });
    await ks.set("t", {
      i8: new Int8Array([-1, 2]),
      u16: new Uint16Array([1, 65535]),
      i32: new Int32Array([7, -7]),
      i64: new BigInt64Array([1n, -(2n ** 62n)]),
      f32: new Float32Array([0.5, -1]),
      f64: new Float64Array([Math.PI, Number.NaN]),
      s: ["héllo", "🚀"],
      b: [true, false],
    });
    const cols = await ks.getColumns("t");
    expect(cols?.i8).toEqual(new Int8Array([-1, 2]));
    expect(cols?.u16).toEqual(new Uint16Array([1, 65535]));
    expect(cols?.i64).toEqual(new BigInt64Array([1n, -(2n ** 62n)]));
    expect(cols?.f32).toEqual(new Float32Array([0.5, -1]));
    expect(Number.isNaN((cols?.f64 as Float64Array)[1])).toBe(true);
    expect(cols?.s).toEqual(["héllo", "🚀"]);
    expect(Object.keys(cols ?? {})).toEqual(["i8", "u16", "i32", "i64", "f32", "f64", "s", "b"]);
    expect(await ks.getColumns("t", ["f64", "i32"])).toEqual({ f64: cols?.f64, i32: cols?.i32 });
    const raw = await ks.getColumns("t", ["i32"], { raw: true });
    expect(raw?.i32).toMatchObject({ kind: "fixed", length: 2 });
    await expect(ks.getColumns("t", ["nope"])).rejects.toBeDefined();
    expect(await ks.getColumns("missing")).toBeUndefined();

    const table = await ks.get("t");
    expect(table?.length).toBe(2);
    expect(table?.columnNames).toEqual(Object.keys(cols ?? {}));
    await expect(table?.append({ i8: new Int8Array([1]) })).rejects.toMatchObject({ code: "ERR_READ_ONLY" });
    await table?.close();
    expect(await ks.get("missing")).toBeUndefined();
    await ks.close();
  });

  it("copies a CTable, an Arrow Table, row objects and a schema; per-set and default cparams", async () => {
    const ks = await openAt(newPlace(backing), { mode: "a", cparams: { cname: "zstd", clevel: 3 } });
    const source = await CTable.create(new MemoryStore(), { a: new Float64Array([1, 2, 3]) }, { attrs: { note: "x" } });
    await ks.set("copy", source);
    await source.close();
    const copy = await ks.get("copy");
    expect(copy?.attrs.toJSON()).toEqual({ note: "x" });
    expect(copy?.columns.a?.cparams).toMatchObject({ cname: "zstd", clevel: 3 });
    await copy?.close();
    expect(await ks.getColumns("copy")).toEqual({ a: new Float64Array([1, 2, 3]) });

    await ks.set("lz4", smallValue(1), { cparams: { cname: "lz4" } });
    const t = await ks.get("lz4");
    expect(t?.columns.f?.cparams).toMatchObject({ cname: "lz4", clevel: 3 });
    await t?.close();

    await ks.set("arrow", tableFromArrays({ x: new Int32Array([4, 5]), y: ["p", "q"] }));
    expect(await ks.getColumns("arrow")).toEqual({ x: new Int32Array([4, 5]), y: ["p", "q"] });

    await ks.set("rows", [
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
    expect((await ks.getColumns("rows"))?.name).toEqual(["a", "b"]);

    await ks.set("empty", [{ name: "z", dtype: "float32", kind: "fixed", nullable: false, atomShape: [] }]);
    expect(await ks.getColumns("empty")).toEqual({ z: new Float32Array(0) });

    await expect(ks.set("bad", 42 as never)).rejects.toMatchObject({ code: "ERR_BAD_ARGUMENT" });
    await expect(ks.set("bad", new Float64Array(2) as never)).rejects.toMatchObject({ code: "ERR_BAD_ARGUMENT" });
    expect(await ks.has("bad")).toBe(false);
    await ks.close();
  });

  it("appends in place through a writable get, and guards that key meanwhile", async () => {
    const place = newPlace(backing);
    const ks = await openAt(place, { mode: "a" });
    await ks.set("k", smallValue(3, 2));
    const t = await ks.get("k", { writable: true });
    await t?.append({ g: new BigInt64Array([3n]), f: new Float64Array([9]) });
    await t?.flush();
    await expect(ks.set("k", smallValue(1))).rejects.toMatchObject({ code: "ERR_LOCKED" });
    await expect(ks.delete("k")).rejects.toMatchObject({ code: "ERR_LOCKED" });
    await t?.close();
    expect((await ks.getColumns("k"))?.f).toEqual(new Float64Array([3, 3.125, 9]));
    await ks.delete("k");
    await ks.close();
  });

  it("iterates entries and values, closing each table, and honours modes", async () => {
    const place = newPlace(backing);
    const ks = await openAt(place, { mode: "a" });
    for (let i = 0; i < 5; i++) await ks.set(`k${i}`, smallValue(i));
    const seen: [string, number][] = [];
    for await (const [key, table] of ks) seen.push([key, table.length]);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => [`k${i}`, smallValue(i).g.length]));
    let n = 0;
    for await (const table of ks.values()) n += table.length > 0 ? 1 : 0;
    expect(n).toBe(5);
    await expect(ks.rename("k0", "k1", { overwrite: false })).rejects.toMatchObject({ code: "ERR_BAD_ARGUMENT" });
    await ks.rename("k0", "k0");
    await expect(ks.rename("zz", "zz")).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    await ks.close();
    await expect(ks.get("k1")).rejects.toMatchObject({ code: "ERR_CLOSED" });

    const reader = await openAt(place, { mode: "r" });
    expect(reader.readOnly).toBe(true);
    await expect(reader.set("x", smallValue(1))).rejects.toMatchObject({ code: "ERR_READ_ONLY" });
    await expect(reader.delete("k1")).rejects.toMatchObject({ code: "ERR_READ_ONLY" });
    await expect(reader.get("k1", { writable: true })).rejects.toMatchObject({ code: "ERR_READ_ONLY" });
    expect(await reader.size()).toBe(5);
    await reader.close();

    const wiped = await openAt(place, { mode: "w" });
    expect(await allKeys(wiped)).toEqual([]);
    await wiped.close();
  });
});

describe("opening", () => {
  it("refuses what is not a key store, a missing store in mode r, a layout mismatch, bad options", async () => {
    const dir = tempDir("open");
    await expect(KeyStore.open(join(dir, "none"), { mode: "r" })).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    mkdirSync(join(dir, "foreign"));
    writeFileSync(join(dir, "foreign", "data.csv"), "a,b\n");
    await expect(KeyStore.open(join(dir, "foreign"))).rejects.toMatchObject({ code: "ERR_NOT_A_CONTAINER" });
    await expect(KeyStore.open(join(dir, "foreign"), { mode: "w" })).rejects.toMatchObject({
      code: "ERR_NOT_A_CONTAINER",
    });
    expect(readdirSync(join(dir, "foreign"))).toEqual(["data.csv"]);
    const ks = await KeyStore.open(join(dir, "z"), { layout: "zip" });
    await ks.close();
    await expect(KeyStore.open(join(dir, "z"), { layout: "dir" })).rejects.toMatchObject({ code: "ERR_BAD_ARGUMENT" });
    await expect(KeyStore.open(join(dir, "z"), { mode: "x" as never })).rejects.toMatchObject({
      code: "ERR_BAD_ARGUMENT",
    });
    await expect(KeyStore.open(join(dir, "f"), { fanout: 9 })).rejects.toMatchObject({ code: "ERR_BAD_ARGUMENT" });
    writeFileSync(join(dir, "z", "colz-keystore.json"), '{"format": "colz-keystore", "version": 99}');
    await expect(KeyStore.open(join(dir, "z"), { mode: "r" })).rejects.toMatchObject({ code: "ERR_UNSUPPORTED" });
    await expect(KeyStore.open(new MemoryStore(), { layout: "zip" })).rejects.toMatchObject({
      code: "ERR_UNSUPPORTED",
    });
    await expect(KeyStore.open(new MemoryStore(), { mode: "r" })).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
  });

  it("keeps one writer per store, also in-process", async () => {
    const root = join(tempDir("one"), "s");
    const a = await KeyStore.open(root);
    await expect(KeyStore.open(root)).rejects.toMatchObject({ code: "ERR_LOCKED" });
    await a.close();
    const mem = new MemoryStore();
    const m = await KeyStore.open(mem);
    await expect(KeyStore.open(mem)).rejects.toMatchObject({ code: "ERR_LOCKED" });
    await m.close();
  });
});

describe("interoperability of the layouts", () => {
  it("a dir-layout store opens through a DirectoryStore, and each version is a plain bcolz ctable", async () => {
    const root = join(tempDir("interop"), "s");
    const ks = await KeyStore.open(root, { layout: "dir" });
    await ks.set("AAPL", smallValue(5));
    await ks.set("x".repeat(500), smallValue(6));
    await ks.close();

    const store = await DirectoryStore.open(root);
    const viaStore = await KeyStore.open(store, { mode: "r" });
    expect(await allKeys(viaStore)).toEqual(["AAPL", "x".repeat(500)].sort());
    expect((await viaStore.getColumns("AAPL"))?.g).toEqual(smallValue(5).g);
    await viaStore.close();
    await store.close();

    const name = encodeKey("AAPL", 2);
    const version = readFileSync(join(root, name.bucket, `${name.stem}.ptr`), "utf8").trim();
    const bcolzDir = await DirectoryStore.open(join(root, version));
    expect(JSON.parse(readFileSync(join(root, version, "__rootdirs__"), "utf8"))).toEqual({ names: ["g", "f"] });
    const t = await CTable.open(bcolzDir);
    expect(t.length).toBe(smallValue(5).g.length);
    await t.close();
    await bcolzDir.close();
  });

  it("a zip-layout value is one standard ZIP file that unzip accepts and extracts to a bcolz directory", async () => {
    const root = join(tempDir("unzip"), "s");
    const ks = await KeyStore.open(root, { layout: "zip" });
    await ks.set("AAPL", smallValue(5));
    await ks.close();
    const name = encodeKey("AAPL", 2);
    const file = join(root, name.bucket, `${name.stem}.zip`);
    let unzipped = false;
    try {
      execFileSync("unzip", ["-t", file], { stdio: "pipe" });
      const out = join(tempDir("unzip-out"), "t.bcolz");
      execFileSync("unzip", ["-q", file, "-d", out], { stdio: "pipe" });
      expect(existsSync(join(out, "__rootdirs__"))).toBe(true);
      expect(existsSync(join(out, "g", "meta", "sizes"))).toBe(true);
      unzipped = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; // no unzip on this machine
    }
    expect(typeof unzipped).toBe("boolean");
  });
});
