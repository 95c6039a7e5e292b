/**
 * Model-based properties of CArray: random sequences of append / flush / slice / take / filter /
 * get / resize / trim / reductions / reopen / crash-reopen, for every dtype family, with tiny
 * chunklens so every chunk boundary and leftover case occurs, compared with a plain JS array.
 * The model also tracks the last flushed state: a reader opened at any moment (or a copy of the
 * store taken as if the process died) must show exactly that.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CArray, type JsValue, toJsArray } from "../src/index.js";
import { CASES, caseNamed, type DtypeCase, modelReduce, pySlice } from "./core/cases.js";
import { type Backend, crashCopy, directoryBackend, expectCode, memoryBackend, zipBackend } from "./core/harness.js";

type Op =
  | { op: "append"; values: JsValue[]; typed: boolean }
  | { op: "flush" }
  | { op: "slice"; start?: number; stop?: number; step?: number }
  | { op: "take"; indices: number[] }
  | { op: "filter"; pattern: boolean[] }
  | { op: "get"; i: number }
  | { op: "resize"; n: number }
  | { op: "trim"; n: number }
  | { op: "reduce"; which: "sum" | "min" | "max" }
  | { op: "reopen" }
  | { op: "peek" }
  | { op: "crash" };

function opArb(c: DtypeCase): fc.Arbitrary<Op> {
  const idx = fc.integer({ min: -30, max: 30 });
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant("append" as const),
        values: fc.array(c.value, { maxLength: 13 }),
        typed: fc.boolean(),
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
          step: fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0),
        },
        { requiredKeys: ["op"] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("take" as const),
        indices: fc.array(fc.integer({ min: -25, max: 25 }), { maxLength: 8 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("filter" as const),
        pattern: fc.array(fc.boolean(), { minLength: 1, maxLength: 9 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("get" as const), i: idx }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("resize" as const), n: fc.integer({ min: 0, max: 25 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("trim" as const), n: fc.integer({ min: 0, max: 6 }) }) },
    {
      weight: c.numeric ? 1 : 0,
      arbitrary: fc.record({
        op: fc.constant("reduce" as const),
        which: fc.constantFrom("sum" as const, "min" as const, "max" as const),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ op: "reopen" as const }) },
    { weight: 1, arbitrary: fc.constant({ op: "peek" as const }) },
    { weight: 1, arbitrary: fc.constant({ op: "crash" as const }) },
  );
}

const norm = (c: DtypeCase, v: JsValue) => (c.normalize ? c.normalize(v) : v);

async function run(
  c: DtypeCase,
  backend: Backend,
  chunklen: number,
  valuesChunklen: number,
  initial: JsValue[],
  ops: Op[],
) {
  const store = await backend.make();
  const opts = { chunklen, valuesChunklen, ...c.spec };
  let model = initial.map((v) => norm(c, v));
  let flushed = [...model];
  let a = await CArray.create(store, initial.length > 0 ? initial : null, opts);
  const check = async (what: string) => {
    expect(a.length, what).toBe(model.length);
    expect(await a.toArray(), what).toEqual(model);
  };
  try {
    for (const [k, o] of ops.entries()) {
      const what = `op ${k} ${JSON.stringify(o, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`;
      switch (o.op) {
        case "append":
          await a.append(o.typed && c.typed ? c.typed(o.values) : o.values);
          model.push(...o.values.map((v) => norm(c, v)));
          break;
        case "flush":
          await a.flush();
          flushed = [...model];
          break;
        case "slice":
          expect(await a.toArray(o.start, o.stop, o.step), what).toEqual(pySlice(model, o.start, o.stop, o.step));
          break;
        case "take": {
          const n = model.length;
          if (o.indices.every((i) => i >= -n && i < n)) {
            const got = await a.take(o.indices);
            expect(toJsArray(got), what).toEqual(o.indices.map((i) => model[i < 0 ? i + n : i]));
          } else await expectCode(a.take(o.indices), "ERR_BAD_ARGUMENT");
          break;
        }
        case "filter": {
          const mask = model.map((_, i) => o.pattern[i % o.pattern.length]!);
          expect(toJsArray(await a.filter(mask)), what).toEqual(model.filter((_, i) => mask[i]));
          break;
        }
        case "get": {
          const n = model.length;
          if (o.i >= -n && o.i < n) expect(await a.get(o.i), what).toEqual(model[o.i < 0 ? o.i + n : o.i]);
          else await expectCode(a.get(o.i), "ERR_BAD_ARGUMENT");
          break;
        }
        case "resize":
          await a.resize(o.n);
          model = model.length >= o.n ? model.slice(0, o.n) : [...model, ...new Array(o.n - model.length).fill(c.fill)];
          flushed = [...model];
          break;
        case "trim":
          if (o.n > model.length) {
            await expectCode(a.trim(o.n), "ERR_BAD_ARGUMENT");
            break;
          }
          await a.trim(o.n);
          model = model.slice(0, model.length - o.n);
          flushed = [...model];
          break;
        case "reduce": {
          if (o.which === "sum" && c.name.startsWith("datetime")) {
            await expectCode(a.sum(), "ERR_BAD_ARGUMENT");
            break;
          }
          const got = await a[o.which]();
          expect(got, what).toEqual(modelReduce(model, o.which, c));
          break;
        }
        case "reopen":
          await a.close();
          flushed = [...model];
          a = await CArray.open(store, { mode: "a" });
          break;
        case "peek": {
          const rs = await backend.reader(store);
          const r = await CArray.open(rs, { mode: "r" });
          expect(await r.toArray(), `${what}: a reader sees the flushed state`).toEqual(flushed);
          await expectCode(r.append([]), "ERR_READ_ONLY");
          if (rs !== store) await rs.close();
          break;
        }
        case "crash": {
          // What a process killed now leaves: exactly the flushed rows, and a writer can continue.
          const copy = await crashCopy(store);
          const w = await CArray.open(copy, { mode: "a" });
          expect(await w.toArray(), `${what}: crash copy`).toEqual(flushed);
          await w.append(flushed.slice(0, 2));
          await w.close();
          const r = await CArray.open(copy);
          expect(await r.toArray(), `${what}: crash copy appended`).toEqual([...flushed, ...flushed.slice(0, 2)]);
          break;
        }
      }
      await check(what);
    }
    await a.close();
    const r = await CArray.open(store);
    expect(await r.toArray(), "after close").toEqual(model);
    expect(r.schema.dtype).toBe(a.schema.dtype);
  } finally {
    await a.close().catch(() => undefined);
    await store.close();
  }
}

function property(c: DtypeCase, backend: Backend, numRuns: number) {
  return fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 9 }),
      fc.array(c.value, { maxLength: 12 }),
      fc.array(opArb(c), { minLength: 1, maxLength: 22 }),
      (chunklen, valuesChunklen, initial, ops) => run(c, backend, chunklen, valuesChunklen, initial, ops),
    ),
    { numRuns },
  );
}

describe("CArray matches an in-memory array model (MemoryStore)", () => {
  for (const c of CASES) it(c.name, () => property(c, memoryBackend, Number(process.env.RUNS ?? 25)));
});

describe.each([directoryBackend, zipBackend])("CArray model on the $name store", (backend) => {
  for (const name of ["float64?", "utf8?", "int64", "<U3"]) it(name, () => property(caseNamed(name), backend, 4));
});
