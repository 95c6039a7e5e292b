/**
 * Model-based properties of CTable: random sequences of appends (as columns or as rows), flush,
 * slice / take / filter / where, resize, addColumn / removeColumn / renameColumn, reopen, a
 * reader opened at any moment, and a crash copy of the store, compared with an array of row
 * objects. Column names include spaces, non-ASCII and punctuation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CTable, type JsValue, type Row, toRows } from "../src/index.js";
import { caseNamed, type DtypeCase, pySlice } from "./core/cases.js";
import { type Backend, crashCopy, directoryBackend, memoryBackend, zipBackend } from "./core/harness.js";

const POOL = ["float64?", "utf8?", "|S5", "bool", "int64", "datetime64[D]", "binary?", "<U3"].map(caseNamed);
const ID = caseNamed("int32");
const NAMES = ["a b", "ünï", "x.y", "1", "__x", "-dash", "col", "Δ"];

type PoolRow = JsValue[]; // one value per POOL case, plus the id last

type Op =
  | { op: "append"; rows: PoolRow[]; asRows: boolean }
  | { op: "flush" }
  | { op: "slice"; start?: number; stop?: number; step?: number }
  | { op: "take"; indices: number[] }
  | { op: "filter"; pattern: boolean[] }
  | { op: "where"; k: number }
  | { op: "resize"; n: number }
  | { op: "add"; name: number; pool: number; seed: JsValue[] | null }
  | { op: "remove"; which: number }
  | { op: "rename"; which: number; to: number }
  | { op: "reopen" }
  | { op: "peek" }
  | { op: "crash" };

const poolRow = fc.tuple(...POOL.map((c) => c.value), ID.value);
const idx = fc.integer({ min: -20, max: 20 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("append" as const),
      rows: fc.array(poolRow, { maxLength: 9 }),
      asRows: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: "flush" as const }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        op: fc.constant("slice" as const),
        start: idx,
        stop: idx,
        step: fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      },
      { requiredKeys: ["op"] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("take" as const), indices: fc.array(fc.nat(30), { maxLength: 6 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("filter" as const),
      pattern: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("where" as const), k: fc.integer({ min: -5, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("resize" as const), n: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("add" as const),
      name: fc.nat(NAMES.length - 1),
      pool: fc.nat(POOL.length - 1),
      seed: fc.option(fc.array(fc.oneof(...POOL.map((c) => c.value)), { minLength: 1, maxLength: 4 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), which: fc.nat(10) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("rename" as const), which: fc.nat(10), to: fc.nat(NAMES.length - 1) }),
  },
  { weight: 1, arbitrary: fc.constant({ op: "reopen" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "peek" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "crash" as const }) },
);

/** True when `v` (non-null) is a value of case `c`'s type. */
function sameKind(v: JsValue, c: DtypeCase): boolean {
  if (c.spec.dtype === "binary") return v instanceof Uint8Array;
  if (v instanceof Uint8Array) return false;
  if (c.spec.dtype === "|S5") return typeof v === "string" && new TextEncoder().encode(v).length <= 5;
  if (c.spec.dtype === "<U3") return typeof v === "string" && [...v].length <= 3 && !v.endsWith("\0");
  const sample = { float64: 0, utf8: "", bool: false, int64: 0n, "datetime64[D]": 0n }[c.spec.dtype!];
  return typeof v === typeof sample;
}

interface Model {
  cols: { name: string; c: DtypeCase }[];
  rows: Row[];
}
const copy = (m: Model): Model => ({ cols: [...m.cols], rows: m.rows.map((r) => ({ ...r })) });
const project = (m: Model): Row[] => m.rows.map((r) => Object.fromEntries(m.cols.map(({ name }) => [name, r[name]!])));

async function run(backend: Backend, chunklen: number, initialPool: number[], initial: PoolRow[], ops: Op[]) {
  const store = await backend.make();
  const chosen = [...new Set(initialPool)].map((i) => ({ name: `c${i}`, c: POOL[i]! }));
  const model: Model = { cols: [{ name: "id", c: ID }, ...chosen], rows: [] };
  const rowOf = (p: PoolRow): Row => {
    const r: Row = { id: p[POOL.length]! };
    for (const { name, c } of model.cols) if (name !== "id") r[name] = p[POOL.indexOf(c)]!;
    return r;
  };
  model.rows = initial.map(rowOf);
  const schema = model.cols.map(({ name, c }) => ({ name, ...c.spec }));
  let t = await CTable.create(store, schema, { chunklen, valuesChunklen: 3 });
  if (model.rows.length > 0) await t.append(model.rows);
  await t.flush();
  let flushed = copy(model);
  try {
    for (const [k, o] of ops.entries()) {
      const what = `op ${k} ${JSON.stringify(o, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`;
      switch (o.op) {
        case "append": {
          const rows = o.rows.map(rowOf);
          if (o.asRows) await t.append(rows);
          else
            await t.append(
              Object.fromEntries(model.cols.map(({ name }) => [name, rows.map((r) => r[name]!)])) as never,
            );
          model.rows.push(...rows);
          break;
        }
        case "flush":
          await t.flush();
          flushed = copy(model);
          break;
        case "slice":
          expect(await t.rows(o.start, o.stop, o.step), what).toEqual(pySlice(project(model), o.start, o.stop, o.step));
          break;
        case "take": {
          const ok = o.indices.filter((i) => i < model.rows.length);
          expect(toRows(await t.take(ok)), what).toEqual(ok.map((i) => project(model)[i]));
          break;
        }
        case "filter": {
          const mask = model.rows.map((_, i) => o.pattern[i % o.pattern.length]!);
          expect(toRows(await t.filter(mask)), what).toEqual(project(model).filter((_, i) => mask[i]));
          break;
        }
        case "where": {
          const sel = await t.where(`id > ${o.k}`);
          const want = model.rows.flatMap((r, i) => ((r.id as number) > o.k ? [i] : []));
          expect(Array.from(sel.indices), what).toEqual(want);
          break;
        }
        case "resize":
          await t.resize(o.n);
          if (o.n < model.rows.length) model.rows = model.rows.slice(0, o.n);
          while (model.rows.length < o.n)
            model.rows.push(Object.fromEntries(model.cols.map(({ name, c }) => [name, c.fill])));
          flushed = copy(model);
          break;
        case "add": {
          const name = NAMES[o.name]!;
          const c = POOL[o.pool]!;
          if (model.cols.some((x) => x.name === name)) break;
          if (o.seed !== null && model.rows.length > 0) {
            // Values from the seed where they fit the new column's type, else its fill.
            const fits = o.seed.filter((v) => (v === null ? c.spec.nullable === true : sameKind(v, c)));
            const values = model.rows.map((_, i) => (fits.length > 0 ? fits[i % fits.length]! : c.fill));
            await t.addColumn(name, values as JsValue[] as never, c.spec);
            model.rows.forEach((r, i) => {
              r[name] = values[i]!;
            });
          } else {
            await t.addColumn(name, c.spec);
            for (const r of model.rows) r[name] = c.fill;
          }
          model.cols.push({ name, c });
          flushed = copy(model);
          break;
        }
        case "remove": {
          const others = model.cols.filter((x) => x.name !== "id");
          if (others.length === 0) break;
          const victim = others[o.which % others.length]!.name;
          await t.removeColumn(victim);
          for (const m of [model, flushed]) {
            m.cols = m.cols.filter((x) => x.name !== victim);
            for (const r of m.rows) delete r[victim];
          }
          break;
        }
        case "rename": {
          const others = model.cols.filter((x) => x.name !== "id");
          const to = NAMES[o.to]!;
          if (others.length === 0 || model.cols.some((x) => x.name === to)) break;
          const from = others[o.which % others.length]!.name;
          await t.renameColumn(from, to);
          model.cols = model.cols.map((x) => (x.name === from ? { name: to, c: x.c } : x));
          for (const r of model.rows) {
            r[to] = r[from]!;
            delete r[from];
          }
          flushed = copy(model);
          break;
        }
        case "reopen":
          await t.close();
          flushed = copy(model);
          t = await CTable.open(store, { mode: "a" });
          break;
        case "peek": {
          const rs = await backend.reader(store);
          const r = await CTable.open(rs);
          expect(r.columnNames, what).toEqual(flushed.cols.map((x) => x.name));
          expect(await r.rows(), `${what}: a reader sees the flushed rows`).toEqual(project(flushed));
          if (rs !== store) await rs.close();
          break;
        }
        case "crash": {
          const w = await CTable.open(await crashCopy(store), { mode: "a" });
          expect(await w.rows(), `${what}: crash copy`).toEqual(project(flushed));
          await w.close();
          break;
        }
      }
      expect(t.length, what).toBe(model.rows.length);
      expect(t.columnNames, what).toEqual(model.cols.map((x) => x.name));
      expect(await t.rows(), what).toEqual(project(model));
    }
  } finally {
    await t.close().catch(() => undefined);
    await store.close();
  }
}

function property(backend: Backend, numRuns: number) {
  return fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.nat(POOL.length - 1), { maxLength: 4 }),
      fc.array(poolRow, { maxLength: 8 }),
      fc.array(opArb, { minLength: 1, maxLength: 18 }),
      (chunklen, pool, initial, ops) => run(backend, chunklen, pool, initial, ops),
    ),
    { numRuns },
  );
}

describe("CTable matches a model of row objects", () => {
  it("on a MemoryStore", () => property(memoryBackend, Number(process.env.RUNS ?? 60)));
  it("on a DirectoryStore", () => property(directoryBackend, 6));
  it("on a ZipStore", () => property(zipBackend, 6));
});
