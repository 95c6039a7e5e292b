/**
 * Modes (bcolz's r / a / w), the single-writer lock (in-process and across processes, with the
 * wait option; readers never block) and the errors bad input gets: ERR_READ_ONLY, ERR_LOCKED,
 * ERR_BAD_KEY for column names, ERR_BAD_ARGUMENT for mismatched lengths / unknown columns / bad
 * values, ERR_NOT_A_CONTAINER, ERR_CLOSED.
 */
import { MemoryStore } from "@colz/format";
import { describe, expect, inject, it } from "vitest";
import { CArray, CTable } from "../src/index.js";
import { createTable, openArray, openTable } from "../src/node.js";
import { startChild } from "./core/child.js";
import { expectCode, tempPath } from "./core/harness.js";

describe("modes", () => {
  it("'r' refuses every write with ERR_READ_ONLY and takes no lock", async () => {
    const store = new MemoryStore();
    const w = await CTable.create(store, { a: [1, 2] });
    const r = await CTable.open(store); // while the writer holds the lock
    expect(r.mode).toBe("r");
    await expectCode(r.append({ a: [3] }), "ERR_READ_ONLY");
    await expectCode(r.flush(), "ERR_READ_ONLY");
    await expectCode(r.addColumn("b", { dtype: "int8" }), "ERR_READ_ONLY");
    await expectCode(r.removeColumn("a"), "ERR_READ_ONLY");
    await expectCode(r.renameColumn("a", "c"), "ERR_READ_ONLY");
    await expectCode(r.resize(0), "ERR_READ_ONLY");
    await expectCode(r.attrs.set("x", 1), "ERR_READ_ONLY");
    await expectCode(r.column("a").attrs.set("x", 1), "ERR_READ_ONLY");
    const ra = await CArray.open(store, { prefix: "a" });
    await expectCode(ra.append([1]), "ERR_READ_ONLY");
    await expectCode(ra.trim(1), "ERR_READ_ONLY");
    await w.close();
  });

  it("'a' appends to what is there; 'w' replaces it; create refuses to overwrite", async () => {
    const store = new MemoryStore();
    const t = await CTable.create(store, { a: [1, 2] });
    await t.close();
    await expectCode(CTable.create(store, { a: [9] }), "ERR_BAD_ARGUMENT");
    const a = await CTable.open(store, { mode: "a" });
    await a.append({ a: [3] });
    await a.close();
    expect(await (await CTable.open(store)).rows()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    const w = await CTable.create(store, { b: ["x"] }, { mode: "w" });
    await w.close();
    const r = await CTable.open(store);
    expect(r.columnNames).toEqual(["b"]);
    expect(await store.has("a/meta/sizes")).toBe(false);
    const e = await CTable.open(store, { mode: "w" });
    expect(e.columnNames).toEqual([]);
    expect(e.length).toBe(0);
    await e.close();
  });

  it("'a' on an empty store creates an empty table whose first append sets the schema", async () => {
    const store = new MemoryStore();
    const t = await CTable.open(store, { mode: "a" });
    await t.append([
      { id: 1n, name: "x" },
      { id: 2n, name: null },
    ]);
    expect(t.schema.map((c) => [c.name, c.dtype, c.kind, c.nullable])).toEqual([
      ["id", "int64", "fixed", false],
      ["name", "int64", "utf8", true],
    ]);
    await t.close();
    expect(await (await CTable.open(store)).rows()).toEqual([
      { id: 1n, name: "x" },
      { id: 2n, name: null },
    ]);
  });

  it("a read-only store (HTTP, a store opened 'r') opens in mode 'r' only", async () => {
    const src = new MemoryStore();
    await (await CTable.create(src, { a: ["x", null] })).close();
    const entries: [string, Uint8Array][] = [];
    for (const k of await src.list()) entries.push([k, (await src.get(k))!]);
    const ro = new MemoryStore({ entries, readOnly: true });
    expect(await (await CTable.open(ro)).rows()).toEqual([{ a: "x" }, { a: null }]);
    await expectCode(CTable.open(ro, { mode: "a" }), "ERR_READ_ONLY");
    await expectCode(CTable.create(ro, { b: [1] }, { prefix: "t" }), "ERR_READ_ONLY");
  });

  it("open distinguishes carrays, ctables and nothing", async () => {
    const store = new MemoryStore();
    await expectCode(CTable.open(store), "ERR_NOT_A_CONTAINER");
    await expectCode(CArray.open(store), "ERR_NOT_A_CONTAINER");
    await (await CArray.create(store, [1, 2], { prefix: "arr" })).close();
    await expectCode(CTable.open(store, { prefix: "arr" }), "ERR_NOT_A_CONTAINER");
    await (await CTable.create(store, { x: [1] }, { prefix: "tab" })).close();
    await expectCode(CArray.open(store, { prefix: "tab" }), "ERR_NOT_A_CONTAINER");
    await expectCode(CArray.open(store, { prefix: "arr", mode: "w" }), "ERR_BAD_ARGUMENT");
  });

  it("closed objects refuse calls with ERR_CLOSED; close() flushes", async () => {
    const store = new MemoryStore();
    const t = await CTable.create(store, { a: [1] });
    await t.append({ a: [2] });
    await t.close();
    await t.close(); // idempotent
    await expectCode(t.append({ a: [3] }), "ERR_CLOSED");
    await expectCode(t.slice(), "ERR_CLOSED");
    expect((await CTable.open(store)).length).toBe(2);
  });
});

describe("the writer lock", () => {
  it("a second writer on the same store gets ERR_LOCKED, or waits with waitMs", async () => {
    const store = new MemoryStore();
    const t = await CTable.create(store, { a: [1] });
    await expectCode(CTable.open(store, { mode: "a" }), "ERR_LOCKED");
    await expectCode(CArray.create(store, [1], { prefix: "other" }), "ERR_LOCKED");
    const waiting = CTable.open(store, { mode: "a", waitMs: 2000 });
    setTimeout(() => void t.close(), 50);
    const second = await waiting;
    expect(second.length).toBe(1);
    await second.close();
  });

  it("a writer in another process holds the directory's lock; readers never block", async () => {
    const bundle = inject("colzCtableBundle");
    const path = tempPath(".bcolz");
    await (await createTable(path, { a: new Int32Array([1, 2, 3]) })).close();
    const child = startChild("lock-holder.mjs", [bundle, path]);
    await child.waitFor(/^locked/);
    try {
      const err = await openTable(path, { mode: "a" }).catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe("ERR_LOCKED");
      expect((err as Error).message).toContain(`pid ${child.proc.pid}`);
      const reader = await openTable(path);
      expect(await reader.rows()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
      await reader.close();
    } finally {
      child.proc.kill("SIGKILL");
      await child.exited;
    }
    // The killed holder's lock is stale: the next writer takes it over.
    const t = await openTable(path, { mode: "a" });
    await t.append({ a: [4] });
    await t.close();
    expect((await openArray(`${path}/a`)).length).toBe(4);
  });

  it("waitMs waits for another process to release a zip store's lock", async () => {
    const bundle = inject("colzCtableBundle");
    const path = tempPath(".zip");
    await (await createTable(path, { a: [1.5] })).close();
    const child = startChild("lock-holder.mjs", [bundle, path, "300"]);
    await child.waitFor(/^locked/);
    await expectCode(openTable(path, { mode: "a" }), "ERR_LOCKED");
    const t = await openTable(path, { mode: "a", waitMs: 10_000 });
    await child.exited;
    expect(child.lines).toContain("released");
    await t.append({ a: [2.5] });
    await t.close();
    expect(await (await openTable(path)).rows()).toEqual([{ a: 1.5 }, { a: 2.5 }]);
  });
});

describe("bad input", () => {
  it("column names: any valid key segment works, others are ERR_BAD_KEY", async () => {
    const store = new MemoryStore();
    const names = ["a b", "ünïcödé", "x.y", "1", "-", "__x__", "日本", "a\tb"];
    // A Map keeps the order; a plain object would put the integer-like "1" first (JavaScript's key order).
    const t = await CTable.create(store, new Map(names.map((n) => [n, [1]])));
    expect(t.columnNames).toEqual(names);
    for (const bad of ["", "a/b", ".hidden", "..", ".", "a\\b", "a\0b", "__rootdirs__", "__attrs__", "\ud800"]) {
      await expectCode(CTable.create(new MemoryStore(), { [bad]: [1] }), "ERR_BAD_KEY");
      await expectCode(t.addColumn(bad, [1]), "ERR_BAD_KEY");
      await expectCode(t.renameColumn("a b", bad), "ERR_BAD_KEY");
    }
    await t.close();
    expect((await CTable.open(store)).columnNames).toEqual(names);
  });

  it("mismatched lengths, unknown and missing columns, duplicates", async () => {
    const store = new MemoryStore();
    await expectCode(CTable.create(store, { a: [1, 2], b: [1] }), "ERR_BAD_ARGUMENT");
    expect(await store.list()).toEqual([]); // nothing was written
    const t = await CTable.create(store, { a: [1], b: ["x"] });
    await expectCode(t.append({ a: [1, 2], b: ["y"] }), "ERR_BAD_ARGUMENT");
    await expectCode(t.append({ a: [1] }), "ERR_BAD_ARGUMENT");
    await expectCode(t.append({ a: [1], b: ["y"], c: [0] }), "ERR_BAD_ARGUMENT");
    await expectCode(t.append([{ a: 1, b: "y", zzz: 2 }]), "ERR_BAD_ARGUMENT");
    await expectCode(t.readColumn("nope", 0, 1), "ERR_BAD_ARGUMENT");
    await expectCode(async () => t.column("nope"), "ERR_BAD_ARGUMENT");
    await expectCode(t.slice(0, 1, 1, { columns: ["nope"] }), "ERR_BAD_ARGUMENT");
    await expectCode(t.addColumn("a", [1]), "ERR_BAD_ARGUMENT");
    await expectCode(t.addColumn("c", [1, 2]), "ERR_BAD_ARGUMENT");
    await expectCode(t.renameColumn("a", "b"), "ERR_BAD_ARGUMENT");
    await expectCode(t.removeColumn("zz"), "ERR_BAD_ARGUMENT");
    await expectCode(
      CTable.create(new MemoryStore(), [
        { name: "a", dtype: "int8" },
        { name: "a", dtype: "int8" },
      ]),
      "ERR_BAD_ARGUMENT",
    );
    expect(await t.rows()).toEqual([{ a: 1, b: "x" }]);
    await t.close();
  });

  it("values that do not fit the column are refused with the column and row named", async () => {
    const t = await CTable.create(new MemoryStore(), [
      { name: "i8", dtype: "int8" },
      { name: "s", dtype: "|S2" },
      { name: "u", dtype: "<U1" },
      { name: "b", dtype: "bool" },
    ]);
    const ok = { i8: [1], s: ["ab"], u: ["é"], b: [true] };
    await t.append(ok);
    const cases: [string, unknown][] = [
      ["i8", [300]],
      ["i8", [1.5]],
      ["i8", ["1"]],
      ["i8", [null]],
      ["s", ["abc"]],
      ["u", ["ab"]],
      ["b", [2]],
    ];
    for (const [col, v] of cases) {
      const err: unknown = await t.append({ ...ok, [col]: v } as never).catch((e: unknown) => e);
      expect((err as { code: string }).code, `${col} ${String(v)}`).toBe("ERR_BAD_ARGUMENT");
      expect((err as Error).message).toContain(`"${col}"`);
    }
    expect(t.length).toBe(1);
    await expectCode(CArray.create(new MemoryStore(), { dtype: "float16" }), "ERR_UNSUPPORTED_DTYPE");
    await expectCode(CArray.create(new MemoryStore(), { dtype: "object" }), "ERR_UNSUPPORTED_DTYPE");
    await expectCode(CArray.create(new MemoryStore(), [1, "x"] as never), "ERR_BAD_ARGUMENT");
    await expectCode(CArray.create(new MemoryStore(), [null, null]), "ERR_BAD_ARGUMENT");
    await t.close();
  });

  it("bad slices and indices", async () => {
    const a = await CArray.create(new MemoryStore(), [1, 2, 3]);
    await expectCode(a.slice(0, 3, 0), "ERR_BAD_ARGUMENT");
    await expectCode(a.slice(0.5), "ERR_BAD_ARGUMENT");
    await expectCode(a.get(3), "ERR_BAD_ARGUMENT");
    await expectCode(a.get(-4), "ERR_BAD_ARGUMENT");
    await expectCode(a.take([0, 3]), "ERR_BAD_ARGUMENT");
    await expectCode(a.filter([true]), "ERR_BAD_ARGUMENT");
    await expectCode(a.resize(-1), "ERR_BAD_ARGUMENT");
    await expectCode(a.trim(4), "ERR_BAD_ARGUMENT");
    await a.close();
  });
});
