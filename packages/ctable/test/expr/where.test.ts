import { isColzError } from "@colz/format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iterWhere, where } from "../../src/expr/index.js";
import type { ColumnSchema, ColumnSource, Selection } from "../../src/types.js";
import { type Cell, cellsOf, fakeSource, schemaOf, valuesOf } from "./helpers.js";
import { boolTree, COLUMNS, evalBool, render, rowArb } from "./oracle.js";

const range = (n: number, f: (i: number) => Cell) => Array.from({ length: n }, (_, i) => f(i));

function sortedTable(chunklen = 100, withStats = true) {
  const n = 1000;
  return fakeSource({
    schema: [schemaOf("t", "int64"), schemaOf("price", "float64"), schemaOf("sym", "utf8", true)],
    cells: {
      t: range(n, (i) => BigInt(i)),
      price: range(n, (i) => (i % 7) * 1.5),
      sym: range(n, (i) => (i % 5 === 0 ? null : `s${i % 3}`)),
    },
    chunklen,
    ...(withStats ? {} : { stats: () => undefined }),
  });
}

async function collect(it: AsyncIterable<Selection>): Promise<Selection[]> {
  const out: Selection[] = [];
  for await (const s of it) out.push(s);
  return out;
}

describe("where(): chunk skipping reads nothing from ruled-out steps", () => {
  it("reads only the chunks the statistics allow", async () => {
    const src = sortedTable();
    const sel = await where(src, "t >= 500 & t < 600 & price > 4");
    expect(src.plans).toBe(1);
    // 1 matching chunk x (2 expression columns + 1 further output column); nothing else.
    expect(src.reads.map((r) => `${r.name}@${r.start}`).sort()).toEqual(["price@500", "sym@500", "t@500"]);
    expect(Array.from(sel.indices)).toEqual(range(100, (i) => 500 + i).filter((i) => ((i as number) % 7) * 1.5 > 4));
  });

  it("reads every chunk when there are no statistics, with the same result", async () => {
    const a = sortedTable();
    const b = sortedTable(100, false);
    const ra = await where(a, "t >= 500 & t < 600");
    const rb = await where(b, "t >= 500 & t < 600");
    expect(Array.from(rb.indices)).toEqual(Array.from(ra.indices));
    expect(new Set(b.reads.map((r) => r.start)).size).toBe(10);
  });

  it("does not read output columns of steps without matches", async () => {
    const src = sortedTable();
    await where(src, "price > 100");
    expect(src.reads.length).toBe(0); // price max is 9: every chunk is skipped
    await where(src, "price > 8.9 & t < 0");
    expect(src.reads.length).toBe(0);
    await where(src, "sym == 'zz'"); // strings have no statistics: read, evaluated, nothing gathered
    expect(src.reads.every((r) => r.name === "sym")).toBe(true);
  });

  it("uses null counts: isnull() skips chunks without nulls", async () => {
    const src = fakeSource({
      schema: [schemaOf("x", "float64", true)],
      cells: { x: [null, null, null, 1, 2, 3] },
      chunklen: 3,
    });
    expect(Array.from((await where(src, "isnull(x)")).indices)).toEqual([0, 1, 2]);
    expect(src.reads.map((r) => r.start)).toEqual([0]);
    src.reads.length = 0;
    expect(Array.from((await where(src, "notnull(x) & x > 2")).indices)).toEqual([5]);
    expect(src.reads.map((r) => r.start)).toEqual([0, 3]); // an all-null chunk has no min/max: read
  });
});

describe("where(): options", () => {
  it("stops reading once limit rows are found", async () => {
    const src = sortedTable();
    const sel = await where(src, "price > 4", { limit: 5 });
    expect(sel.length).toBe(5);
    expect(Array.from(sel.indices)).toEqual([3, 4, 5, 6, 10]);
    expect(new Set(src.reads.map((r) => r.start))).toEqual(new Set([0]));
    expect((await where(src, "price > 4", { limit: 0 })).length).toBe(0);
  });

  it("respects start and stop (negative counts from the end)", async () => {
    const src = sortedTable();
    const sel = await where(src, "t % 100 == 0", { start: 150, stop: 450, columns: ["t"] });
    expect(Array.from(sel.indices)).toEqual([200, 300, 400]);
    expect(cellsOf(sel.columns.t!)).toEqual([200n, 300n, 400n]);
    expect(src.reads.every((r) => r.start >= 150 && r.stop <= 450)).toBe(true);
    const tail = await where(src, "t >= 0", { start: -3, columns: [] });
    expect(Array.from(tail.indices)).toEqual([997, 998, 999]);
    expect(Object.keys(tail.columns)).toEqual([]);
    expect((await where(src, "t >= 0", { start: 10, stop: 5 })).length).toBe(0);
  });

  it("returns only the requested columns, and checks their names", async () => {
    const src = sortedTable();
    const sel = await where(src, "t < 3", { columns: ["sym"] });
    expect(Object.keys(sel.columns)).toEqual(["sym"]);
    expect(cellsOf(sel.columns.sym!)).toEqual([null, "s1", "s2"]);
    await expect(where(src, "t < 3", { columns: ["Sym"] })).rejects.toThrow(/unknown column "Sym".*did you mean "sym"/);
    await expect(where(src, "t < 3", { limit: -1 })).rejects.toThrow(/limit/);
    await expect(where(src, "t < 3", { start: 1.5 })).rejects.toThrow(/start/);
  });

  it("iterWhere yields one selection per step with matches, and checks the expression at once", async () => {
    const src = sortedTable();
    const parts = await collect(iterWhere(src, "t % 250 == 0", { columns: ["t"] }));
    expect(parts.map((p) => Array.from(p.indices))).toEqual([[0], [250], [500], [750]]);
    expect(() => iterWhere(src, "t >")).toThrow(/unexpected end of expression/);
    try {
      iterWhere(src, "tt > 1");
    } catch (e) {
      expect(isColzError(e, "ERR_BAD_EXPRESSION")).toBe(true);
    }
  });

  it("clips plans whose steps overlap or overhang the range", async () => {
    const src = sortedTable();
    const base = src.scanPlan.bind(src);
    src.scanPlan = async (cols) => {
      const steps = await base(cols, 0, 1000);
      return [...steps, { start: 0, stop: 1000, stats: {} }]; // a duplicate covering step
    };
    const sel = await where(src, "t % 300 == 0", { start: 100, stop: 950, columns: [] });
    expect(Array.from(sel.indices)).toEqual([300, 600, 900]);
  });

  it("refuses sources that return the wrong number of rows", async () => {
    const src = sortedTable();
    src.readColumn = async (name, start, stop) =>
      valuesOf(src.schema.find((s) => s.name === name)!, [1n].slice(0, stop - start - 1));
    await expect(where(src, "t > 1")).rejects.toThrow(/returned \d+ rows/);
  });
});

describe("where(): gathered values", () => {
  const schema: ColumnSchema[] = [
    schemaOf("i64", "int64"),
    schemaOf("f", "float64", true),
    schemaOf("flag", "bool"),
    schemaOf("s4", "|S4"),
    schemaOf("u2", "<U2"),
    schemaOf("txt", "utf8", true),
    schemaOf("bin", "binary"),
    schemaOf("when", "datetime64[s]"),
    schemaOf("small", "int8"),
  ];
  const cells: Record<string, Cell[]> = {
    i64: [2n ** 62n + 1n, -1n, 5n, 2n ** 53n + 1n, 7n],
    f: [Number.NaN, -0, null, 1.5, 2],
    flag: [true, false, true, false, true],
    s4: ["ab", "abcd", "", "x", "yy"],
    u2: ["é", "😀", "", "ab", "z"],
    txt: ["hello", null, "", "wörld", "!"],
    bin: ["a", "b", "c", "d", "e"],
    when: [0n, 1n, -(2n ** 63n), 3n, 4n],
    small: [-128, 127, 0, 1, -1],
  };

  it("gathers every kind of column, across steps, bit-exactly", async () => {
    const src = fakeSource({ schema, cells, chunklen: 2 });
    const sel = await where(src, "small != 0");
    expect(Array.from(sel.indices)).toEqual([0, 1, 3, 4]);
    const pick = (name: string) => [0, 1, 3, 4].map((i) => cells[name]![i]);
    expect(cellsOf(sel.columns.i64!)).toEqual(pick("i64"));
    expect(cellsOf(sel.columns.txt!)).toEqual(pick("txt"));
    expect(cellsOf(sel.columns.bin!)).toEqual(pick("bin"));
    expect(cellsOf(sel.columns.flag!)).toEqual(pick("flag"));
    expect(cellsOf(sel.columns.small!)).toEqual(pick("small"));
    expect(cellsOf(sel.columns.when!)).toEqual(pick("when"));
    const f = sel.columns.f!;
    expect(f.kind === "fixed" && Object.is(f.data[1], -0) && Number.isNaN(f.data[0])).toBe(true);
    expect(Array.from(f.validity ?? [])).toEqual([1, 1, 1, 1]); // a step with a null brings validity along
    const s4 = sel.columns.s4!;
    expect(Array.from(s4.data as Uint8Array)).toEqual([97, 98, 0, 0, 97, 98, 99, 100, 120, 0, 0, 0, 121, 121, 0, 0]);
    expect(sel.columns.u2!.kind === "fixed" && sel.columns.u2!.data.byteLength).toBe(4 * 8);
  });

  it("keeps validity when a gathered step has it, and types empty results from the schema", async () => {
    const src = fakeSource({ schema, cells, chunklen: 2 });
    const sel = await where(src, "flag");
    expect(cellsOf(sel.columns.f!)).toEqual([Number.NaN, null, 2]);
    expect(cellsOf(sel.columns.txt!)).toEqual(["hello", "", "!"]);
    const none = await where(src, "small > 1000");
    expect(none.length).toBe(0);
    const i64 = none.columns.i64!;
    expect(i64.kind === "fixed" && i64.data instanceof BigInt64Array && i64.data.length).toBe(0);
    expect(none.columns.txt).toMatchObject({ kind: "utf8", length: 0 });
  });
});

describe("where() = oracle on random tables, chunkings and ranges", () => {
  const schema = Object.entries(COLUMNS).map(([name, dtype]) => schemaOf(name, dtype, true));
  it("returns exactly the oracle's rows and values", async () => {
    await fc.assert(
      fc.asyncProperty(
        boolTree,
        fc.array(rowArb, { maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.option(fc.integer({ min: -5, max: 35 }), { nil: undefined }),
        fc.option(fc.integer({ min: -5, max: 35 }), { nil: undefined }),
        fc.option(fc.nat(10), { nil: undefined }),
        async (tree, rows, chunklen, start, stop, limit) => {
          const text = render(tree);
          const table = Object.fromEntries(schema.map((s) => [s.name, rows.map((r) => r[s.name]!)]));
          const src: ColumnSource = fakeSource({ schema, cells: table, chunklen });
          const sel = await where(src, text, { start, stop, limit });
          const n = rows.length;
          const lo = start === undefined ? 0 : Math.max(0, start < 0 ? n + start : Math.min(start, n));
          const hi = stop === undefined ? n : Math.max(0, stop < 0 ? n + stop : Math.min(stop, n));
          let want = range(n, (i) => i).filter(
            (i) => (i as number) >= lo && (i as number) < hi && evalBool(tree, rows[i as number]!) === 2,
          );
          if (limit !== undefined) want = want.slice(0, limit);
          expect(Array.from(sel.indices), text).toEqual(want);
          for (const s of schema) {
            expect(cellsOf(sel.columns[s.name]!)).toEqual(want.map((i) => rows[i as number]![s.name]));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
