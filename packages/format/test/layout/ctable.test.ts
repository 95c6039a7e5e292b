import { ready } from "@colz/blosc-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { CArrayAppender } from "../../src/layout/carray-appender.js";
import { CArrayWriter, commitCArrays } from "../../src/layout/carray-writer.js";
import {
  columnPrefix,
  createCTable,
  detectContainer,
  encodeRootdirs,
  openCTable,
  openCTableForAppend,
  parseRootdirs,
  readAttrs,
  readRootdirs,
  validateColumnName,
  writeAttrs,
  writeRootdirs,
} from "../../src/layout/ctable-layout.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { bytes, expectColzError, fixtureStore, setText, text } from "./helpers.js";

beforeAll(async () => {
  await ready();
});

describe("column names", () => {
  it("accepts any single key segment, rejects the rest with ERR_BAD_KEY", async () => {
    for (const ok of ["price", "f0", "with space", "é", "😀", "a.b", "class", "1st", "-", "x.."]) {
      expect(() => validateColumnName(ok)).not.toThrow();
      expect(columnPrefix("t/", ok)).toBe(`t/${ok}/`);
    }
    for (const bad of [
      "",
      "a/b",
      ".",
      "..",
      ".hidden",
      "a\0b",
      "a\\b",
      "__rootdirs__",
      "__attrs__",
      "\ud800",
      "/",
      "...",
    ]) {
      await expectColzError(() => validateColumnName(bad), "ERR_BAD_KEY", JSON.stringify(bad));
    }
    await expectColzError(() => validateColumnName(3 as unknown as string), "ERR_BAD_KEY");
  });

  it("__rootdirs__ encode/parse", async () => {
    expect(text(encodeRootdirs(["id", "é"]))).toBe('{"names": ["id", "\\u00e9"]}\n');
    expect(parseRootdirs(encodeRootdirs(["id", "é"]), "k")).toEqual(["id", "é"]);
    await expectColzError(() => encodeRootdirs(["a", "a"]), "ERR_BAD_ARGUMENT", "duplicate");
    await expectColzError(() => encodeRootdirs(["a/b"]), "ERR_BAD_KEY");
    for (const bad of [
      '{"names": "id"}',
      "[]",
      '{"names": [1]}',
      '{"names": ["a", "a"]}',
      '{"names": ["../x"]}',
      "{",
    ]) {
      await expectColzError(() => parseRootdirs(bytes(bad), "t/__rootdirs__"), "ERR_CORRUPT_META", "t/__rootdirs__");
    }
  });
});

describe("ctable layout", () => {
  it("create → append → open round trip, with bcolz's file set", async () => {
    const s = new MemoryStore();
    const writers = await createCTable(
      s,
      "t/",
      [
        { name: "id", dtype: "int64", chunklen: 100 },
        { name: "price", dtype: "float64", chunklen: 100 },
        { name: "sym", dtype: "|S4", chunklen: 50 },
      ],
      { note: "made by colz" },
    );
    expect(await detectContainer(s, "t/")).toBe("ctable");
    expect(await detectContainer(s, "t/id/")).toBe("carray");
    expect(await detectContainer(s, "nothing/")).toBeUndefined();
    expect(text(await s.get("t/__rootdirs__"))).toBe('{"names": ["id", "price", "sym"]}\n');
    const appenders = await Promise.all(writers.map((w) => CArrayAppender.open(w)));
    const n = 777;
    const id = new BigInt64Array(n).map((_, i) => BigInt(i));
    const price = new Float64Array(n).map((_, i) => i / 4);
    const sym = new Uint8Array(n * 4).map((_, i) => 65 + (i % 26));
    await appenders[0]!.append(new Uint8Array(id.buffer));
    await appenders[1]!.append(new Uint8Array(price.buffer));
    await appenders[2]!.append(sym);
    // the ctable protocol: all chunks, one commit, all sizes, one commit
    for (const a of appenders) await a.flushChunks();
    await commitCArrays(
      s,
      appenders.flatMap((a) => a.commitEntries()),
    );
    const t = await openCTable(s, "t/");
    expect(t.names).toEqual(["id", "price", "sym"]);
    expect(t.length).toBe(n);
    expect(t.attrs).toEqual({ note: "made by colz" });
    expect(new BigInt64Array((await t.columns[0]!.readAll()).slice().buffer)).toEqual(id);
    expect(new Float64Array((await t.columns[1]!.readAll()).slice().buffer)).toEqual(price);
    expect(await t.columns[2]!.readAll()).toEqual(sym);
    await expectColzError(
      () => createCTable(s, "t/", [{ name: "x", dtype: "int8" }]),
      "ERR_BAD_ARGUMENT",
      "already holds a ctable",
    );
    await expectColzError(
      () =>
        createCTable(s, "u/", [
          { name: "x", dtype: "int8" },
          { name: "x", dtype: "int8" },
        ]),
      "ERR_BAD_ARGUMENT",
    );
    expect(await s.has("u/x/meta/storage")).toBe(false); // refused before writing anything
  });

  it("table attrs: read/write, missing → {}", async () => {
    const s = fixtureStore("ctable_basic");
    expect(await readAttrs(s, "")).toEqual({ note: "ctable vector" });
    await writeAttrs(s, "", { note: "changed", n: 1.5, nan: Number.NaN });
    expect(text(await s.get("__attrs__"))).toBe('{"note": "changed", "n": 1.5, "nan": NaN}\n');
    await s.delete("__attrs__");
    expect((await openCTable(s, "")).attrs).toEqual({});
  });

  it("adding a column: complete column first, then __rootdirs__", async () => {
    const s = fixtureStore("ctable_basic");
    const w = await CArrayWriter.create(s, columnPrefix("", "extra"), { dtype: "int16", chunklen: 2000 });
    const a = await CArrayAppender.open(w);
    await a.append(new Uint8Array(7777 * 2));
    await a.flush();
    expect(await readRootdirs(s, "")).toEqual(["id", "price", "sym", "flag"]); // not listed yet
    await writeRootdirs(s, "", ["id", "price", "sym", "flag", "extra"]);
    const t = await openCTable(s, "");
    expect(t.names.at(-1)).toBe("extra");
    expect(t.length).toBe(7777);
  });

  it("recovery: a crash between sizes commits leaves longer columns; readers clamp, writers truncate", async () => {
    const s = new MemoryStore();
    const ws = await createCTable(s, "", [
      { name: "a", dtype: "int32", chunklen: 4 },
      { name: "b", dtype: "int32", chunklen: 4 },
    ]);
    const as = await Promise.all(ws.map((w) => CArrayAppender.open(w)));
    for (const a of as) {
      await a.append(new Uint8Array(new Int32Array([1, 2, 3, 4, 5, 6]).buffer));
      await a.flush();
    }
    for (const a of as) await a.append(new Uint8Array(new Int32Array([7, 8, 9]).buffer));
    for (const a of as) await a.flushChunks();
    await s.commit();
    await ws[0]!.writeSizes(9); // "crash" after the first column's sizes
    const t = await openCTable(s, "");
    expect(t.lengths).toEqual([9, 6]);
    expect(t.length).toBe(6);
    const { writers, length } = await openCTableForAppend(s, "");
    expect(length).toBe(6);
    expect(writers.map((w) => w.length)).toEqual([6, 6]);
    expect(JSON.parse(text(await s.get("a/meta/sizes"))).shape).toEqual([6]);
    // appending after recovery rewrites the leftover chunk consistently
    for (const w of writers) {
      const a = await CArrayAppender.open(w);
      await a.append(new Uint8Array(new Int32Array([60, 70]).buffer));
      await a.flush();
    }
    const t2 = await openCTable(s, "");
    expect(t2.lengths).toEqual([8, 8]);
    expect([...new Int32Array((await t2.columns[0]!.readAll()).slice().buffer)]).toEqual([1, 2, 3, 4, 5, 6, 60, 70]);
  });

  it("missing or malformed __rootdirs__", async () => {
    await expectColzError(() => openCTable(new MemoryStore(), "t/"), "ERR_NOT_A_CONTAINER", "t/__rootdirs__");
    const s = fixtureStore("ctable_basic");
    await setText(s, "__rootdirs__", '{"names": ["id", "missing"]}');
    await expectColzError(() => openCTable(s, ""), "ERR_NOT_A_CONTAINER", "missing/meta/");
  });
});

describe("containers do not overwrite each other", () => {
  it("a ctable over a carray, a carray over a ctable", async () => {
    const s = new MemoryStore();
    await CArrayWriter.create(s, "", { dtype: "int8" });
    await expectColzError(
      () => createCTable(s, "", [{ name: "x", dtype: "int8" }]),
      "ERR_BAD_ARGUMENT",
      "already holds a carray",
    );
    const t = new MemoryStore();
    await createCTable(t, "", [{ name: "x", dtype: "int8" }]);
    await expectColzError(
      () => CArrayWriter.create(t, "", { dtype: "int8" }),
      "ERR_BAD_ARGUMENT",
      "already holds a ctable",
    );
    // a creation interrupted before meta/sizes can be redone
    const u = new MemoryStore();
    await setText(u, "meta/storage", '{"dtype": "int8", "chunklen": 5}');
    expect((await CArrayWriter.create(u, "", { dtype: "int16", chunklen: 3 })).chunklen).toBe(3);
  });
});
