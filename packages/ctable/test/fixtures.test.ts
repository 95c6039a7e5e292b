/**
 * Every carray and ctable that real bcolz 1.2.1 wrote (shared/fixtures/bcolz, MANIFEST.json)
 * opens as a CArray / CTable, on the directory itself (read-only) and from a memory copy, and
 * reads back exactly the bytes of its *.expected.bin. Then colz appends to copies of them.
 */

import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { MemoryStore } from "@colz/format";
import { DirectoryStore } from "@colz/format/node";
import { describe, expect, it } from "vitest";
import { fixturesRoot } from "../../../test-support/fixtures-root.mjs";
import { CArray, type ColumnValues, CTable, toJsArray } from "../src/index.js";
import { openArray, openTable } from "../src/node.js";
import { tempPath } from "./core/harness.js";

const FIXTURES = join(fixturesRoot(), "bcolz");

interface Vector {
  expected_bin: string;
  dtype: string;
  shape: number[];
  kind: string;
  rootdir: string;
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, "MANIFEST.json"), "utf8")) as { vectors: Vector[] };
const carrays = manifest.vectors.filter((v) => v.kind === "carray");
const columns = manifest.vectors.filter((v) => v.kind === "ctable-column");

function expected(v: Vector): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, v.expected_bin)));
}

function bytesOf(values: ColumnValues): Uint8Array {
  if (values.kind !== "fixed") throw new Error("fixed column expected");
  return new Uint8Array(values.data.buffer, values.data.byteOffset, values.data.byteLength);
}

/** Byte equality without vitest's element-by-element diffing of large arrays. */
function expectBytes(got: Uint8Array, want: Uint8Array, what = ""): void {
  expect(got.length, what).toBe(want.length);
  expect(Buffer.from(got.buffer, got.byteOffset, got.length).equals(want), `${what}: bytes differ`).toBe(true);
}

function memoryCopy(dir: string): MemoryStore {
  const entries: [string, Uint8Array][] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else entries.push([relative(dir, p), new Uint8Array(readFileSync(p))]);
    }
  };
  walk(dir);
  return new MemoryStore({ entries });
}

describe("bcolz carray fixtures", () => {
  for (const v of carrays) {
    it(`${v.rootdir} (${v.dtype}, shape ${JSON.stringify(v.shape)})`, async () => {
      const a = await openArray(join(FIXTURES, v.rootdir));
      try {
        expect(a.length).toBe(v.shape[0]);
        expect([...a.atomShape]).toEqual(v.shape.slice(1));
        expectBytes(bytesOf(await a.readValues(0, a.length)), expected(v));
        // Chunk by chunk gives the same bytes.
        const parts: Uint8Array[] = [];
        for await (const c of a.iterChunks()) parts.push(bytesOf(c.values).slice());
        expectBytes(Buffer.concat(parts), expected(v), "chunks");
        if (a.length > 0) {
          const last = await a.slice(-1);
          expectBytes(bytesOf(last), expected(v).slice(-bytesOf(last).length), "last");
        }
      } finally {
        await a.close();
      }
    });
  }

  it("reads strings, dates and 2-D rows as JS values", async () => {
    const s = await CArray.open(memoryCopy(join(FIXTURES, "S7_strings")));
    expect(typeof (await s.get(0))).toBe("string");
    const u = await CArray.open(memoryCopy(join(FIXTURES, "U5_unicode")));
    const decoded = await u.toArray(0, 3);
    expect(decoded.every((x) => typeof x === "string")).toBe(true);
    const d = await CArray.open(memoryCopy(join(FIXTURES, "M8D_dates")));
    expect(d.dtype.str).toBe("datetime64[D]");
    expect((await d.get(0, { dates: true })) instanceof Date).toBe(true);
    const f = await CArray.open(memoryCopy(join(FIXTURES, "f4_2d")));
    const row = (await f.get(1)) as Float32Array;
    expect(row).toBeInstanceOf(Float32Array);
    expect(row.length).toBe(4);
    expect(f.dflt).toBe(1.5);
  });

  it("appends to copies of bcolz carrays (snappy falls back to lz4 for new chunks)", async () => {
    for (const name of ["i4_snappy_sh1", "i4_appended", "i8_empty", "bool", "S7_strings"]) {
      const store = memoryCopy(join(FIXTURES, name));
      const a = await CArray.open(store, { mode: "a" });
      const before = await a.toArray();
      const extra = before.slice(0, 5).concat(before.length === 0 ? [1n, 2n] : []);
      await a.append(extra);
      await a.close();
      const b = await CArray.open(store);
      expect(await b.toArray()).toEqual([...before, ...extra]);
    }
  });

  it("resizes a bcolz carray with its dflt", async () => {
    const store = memoryCopy(join(FIXTURES, "f4_2d"));
    const a = await CArray.open(store, { mode: "a" });
    await a.resize(6002);
    expect(Array.from((await a.get(-1)) as Float32Array)).toEqual([1.5, 1.5, 1.5, 1.5]);
    await a.close();
  });
});

describe("bcolz ctable fixture", () => {
  it("opens ctable_basic and matches every column", async () => {
    const t = await openTable(join(FIXTURES, "ctable_basic"));
    try {
      expect(t.columnNames).toEqual(["id", "price", "sym", "flag"]);
      expect(t.length).toBe(7777);
      expect(t.attrs.get("note")).toBe("ctable vector");
      for (const v of columns) {
        const name = v.rootdir.split("/")[1]!;
        expectBytes(bytesOf(await t.readColumn(name, 0, t.length)), expected(v), name);
      }
      expect(t.schema.find((c) => c.name === "sym")).toMatchObject({ dtype: "|S4", kind: "fixed", nullable: false });
      const rows = await t.rows(0, 2);
      expect(Object.keys(rows[0]!)).toEqual(["id", "price", "sym", "flag"]);
      // where() over bcolz data (no statistics) agrees with a filter done here.
      const price = toJsArray(await t.readColumn("price", 0, t.length)) as number[];
      const sel = await t.where("price > 50");
      expect(sel.length).toBe(price.filter((p) => p > 50).length);
    } finally {
      await t.close();
    }
  });

  it("appends to a directory copy of ctable_basic and bcolz's layout stays readable", async () => {
    const dir = tempPath();
    cpSync(join(FIXTURES, "ctable_basic"), dir, { recursive: true });
    const t = await openTable(dir, { mode: "a" });
    await t.append([{ id: 10n ** 12n, price: 1.25, sym: "ZZZZ", flag: true }]);
    await t.close();
    const store = await DirectoryStore.open(dir);
    const r = await CTable.open(store);
    expect(r.length).toBe(7778);
    expect(await r.rows(-1)).toEqual([{ id: 10n ** 12n, price: 1.25, sym: "ZZZZ", flag: true }]);
    await store.close();
  });
});
