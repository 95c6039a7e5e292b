import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/expr/index.js";
import type { ChunkSummary, ColumnSchema, ColumnValues } from "../../src/types.js";
import { exactStats, schemaOf, valuesOf } from "./helpers.js";
import { type B, boolTree, COLUMNS, evalBool, type N, type Row, render, rowArb, smallRowArb } from "./oracle.js";

// The vectorised engine must agree with the row-by-row oracle on random expressions and
// tables, and mayMatch must never skip a chunk that has a matching row.

const schema: ColumnSchema[] = Object.entries(COLUMNS).map(([name, dtype]) => schemaOf(name, dtype, true));

function columnsOf(rows: readonly Row[]): Record<string, ColumnValues> {
  const values: Record<string, ColumnValues> = {};
  for (const s of schema)
    values[s.name] = valuesOf(
      s,
      rows.map((r) => r[s.name]!),
    );
  return values;
}

function oracleMask(tree: B, rows: readonly Row[]): number[] {
  return rows.map((r) => (evalBool(tree, r) === 2 ? 1 : 0));
}

/** Statistics that stay true for the rows: exact, widened, partial or missing. */
function looseStats(rows: readonly Row[], how: number): Record<string, ChunkSummary | undefined> {
  const out: Record<string, ChunkSummary | undefined> = {};
  for (const s of schema) {
    const st = exactStats(
      s,
      rows.map((r) => r[s.name]!),
    );
    if (st === undefined || how % 5 === 4) continue;
    if (how % 5 === 1 && st.min !== undefined && st.max !== undefined) {
      const widen = (v: number | bigint, d: number) => (typeof v === "bigint" ? v + BigInt(d) : v + d);
      st.min = widen(st.min, -3);
      st.max = widen(st.max, 2);
    }
    if (how % 5 === 2) delete st.nullCount;
    if (how % 5 === 3) {
      delete st.min;
      delete st.max;
    }
    out[s.name] = st;
  }
  return out;
}

describe("engine = row-by-row oracle", () => {
  it("on random expressions over int32, float64, int64, utf8 and bool columns with nulls", () => {
    fc.assert(
      fc.property(boolTree, fc.array(rowArb, { maxLength: 40 }), fc.nat(5), (tree, rows, pick) => {
        const text = render(tree, 0, pick);
        const compiled = compileExpression(text, schema);
        const mask = compiled.evaluate(columnsOf(rows), rows.length);
        expect(Array.from(mask), text).toEqual(oracleMask(tree, rows));
      }),
      { numRuns: 1500 },
    );
  });
});

describe("mayMatch is sound", () => {
  it("never rules out a chunk that has a matching row", () => {
    const rows = fc.oneof(
      fc.array(rowArb, { minLength: 1, maxLength: 12 }),
      fc.array(smallRowArb, { minLength: 1, maxLength: 6 }),
    );
    fc.assert(
      fc.property(boolTree, rows, fc.nat(19), (tree, rows, how) => {
        const text = render(tree);
        const compiled = compileExpression(text, schema);
        const matches = oracleMask(tree, rows).some((m) => m === 1);
        const stats = looseStats(rows, how);
        const rowsKnown = how >= 10 ? rows.length : undefined;
        if (matches) expect(compiled.mayMatch(stats, rowsKnown), text).toBe(true);
      }),
      { numRuns: 6000 },
    );
  });

  it("negating a range that reaches -2^63 (where int64 negation wraps) rules nothing out", () => {
    // Found by the property above: bounds widened below -2^63 once slipped past the wrap check.
    const rows = [{ i32: null, f64: null, i64: -(2n ** 63n), s: null, b: null }];
    const exact = exactStats(schema.find((c) => c.name === "i64")!, [-(2n ** 63n)])!;
    for (const [min, max] of [
      [exact.min, exact.max],
      [-(2n ** 63n) - 3n, -(2n ** 63n) + 2n],
    ]) {
      const stats = { i64: { ...exact, min: min as bigint, max: max as bigint } };
      const col: N = { k: "col", name: "i64" };
      const trees: B[] = [
        { k: "cmp", op: "==", a: col, b: { k: "neg", a: { k: "neg", a: { k: "neg", a: col } } } },
        { k: "cmp", op: "==", a: col, b: { k: "neg", a: col } },
        { k: "cmp", op: "<", a: { k: "neg", a: col }, b: { k: "int", v: 0n } },
      ];
      for (const tree of trees) {
        const text = render(tree);
        expect(oracleMask(tree, rows as Row[]), text).toEqual([1]); // the row matches: -(-2^63) wraps
        expect(compileExpression(text, schema).mayMatch(stats, 1), `${text} with [${min}, ${max}]`).toBe(true);
      }
    }
  });

  it("is exact enough at the boundaries of simple comparisons (small domains, NaN, nulls)", () => {
    const op = fc.constantFrom("<", "<=", ">", ">=", "==", "!=");
    const lit = fc.integer({ min: -4, max: 4 }).map((x) => String(x / 2));
    const col = fc.constantFrom("i32", "f64", "i64");
    const form = fc.constantFrom("c OP L", "~(c OP L)", "L OP c", "c OP d", "-c OP L", "c + 1 OP L", "c * 2 OP L");
    fc.assert(
      fc.property(
        form,
        op,
        col,
        col,
        lit,
        fc.array(smallRowArb, { minLength: 1, maxLength: 5 }),
        fc.nat(19),
        (f, o, c, d, l, rows, how) => {
          const text = f.replace("OP", o).replace("c", c).replace("d", d).replace("L", l);
          const compiled = compileExpression(text, schema);
          const mask = compiled.evaluate(columnsOf(rows), rows.length);
          if (mask.includes(1))
            expect(compiled.mayMatch(looseStats(rows, how), how >= 10 ? rows.length : undefined), text).toBe(true);
        },
      ),
      { numRuns: 4000 },
    );
  });

  it("skips chunks on simple range conditions (it is also useful)", () => {
    const c = compileExpression("(i64 > 100) & (f64 < 5)", schema);
    expect(c.mayMatch({ i64: { min: 0n, max: 100n }, f64: { min: 0, max: 1 } })).toBe(false);
    expect(c.mayMatch({ i64: { min: 0n, max: 101n }, f64: { min: 0, max: 1 } })).toBe(true);
    expect(c.mayMatch({ i64: { min: 0n, max: 101n }, f64: { min: 5, max: 9 } })).toBe(false);
    expect(c.mayMatch({})).toBe(true);
  });
});
