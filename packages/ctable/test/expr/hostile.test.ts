import { ColzError, isColzError } from "@colz/format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileExpression, parseExpression, where } from "../../src/expr/index.js";
import type { ColumnSchema, ColumnValues } from "../../src/types.js";
import { cellsOf, fakeSource, schemaOf, valuesOf } from "./helpers.js";

function expectBadExpression(f: () => unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(isColzError(caught, "ERR_BAD_EXPRESSION"), String(caught)).toBe(true);
  if (message) expect((caught as Error).message).toMatch(message);
}

describe("hostile inputs: deep nesting and size", () => {
  it("10,000 nested parentheses give ERR_BAD_EXPRESSION, not a stack overflow", () => {
    expectBadExpression(() => parseExpression(`${"(".repeat(10_000)}a${")".repeat(10_000)}`), /nested too deeply/);
    expectBadExpression(() => parseExpression("(".repeat(10_000)), /nested too deeply/);
  });

  it("long prefix-operator chains are bounded too", () => {
    expectBadExpression(() => parseExpression(`${"~".repeat(10_000)}a`), /nested too deeply/);
    expectBadExpression(() => parseExpression(`${"-".repeat(10_000)}a > 1`), /nested too deeply/);
    expectBadExpression(() => parseExpression(`${"not ".repeat(5_000)}a`), /nested too deeply/);
    expectBadExpression(() => parseExpression(`isnull(`.repeat(5_000)), /nested too deeply/);
  });

  it("long arithmetic chains are refused by tree height; long & | chains are flat and fine", () => {
    expectBadExpression(() => parseExpression(`${"a + ".repeat(5_000)}a > 1`), /tree height/);
    const schema = [schemaOf("a", "int32")];
    const c = compileExpression(Array.from({ length: 5_000 }, (_, i) => `a == ${i}`).join(" | "), schema);
    const mask = c.evaluate({ a: valuesOf(schema[0]!, [3, 6000, 4999]) }, 3);
    expect(Array.from(mask)).toEqual([1, 0, 1]);
    expect(c.mayMatch({ a: { min: 5000, max: 9000 } })).toBe(false);
  });

  it("refuses expressions over 64 KiB, and 200 levels still parse", () => {
    expectBadExpression(() => parseExpression(`a > ${"1".repeat(70_000)}`), /too long/);
    expect(() => parseExpression(`${"(".repeat(190)}a${")".repeat(190)}`)).not.toThrow();
  });

  it("huge literals stay exact and cheap", () => {
    const schema = [schemaOf("a", "int64"), schemaOf("f", "float64")];
    const huge = `9${"0".repeat(20_000)}`;
    const c = compileExpression(`a < ${huge} & f < ${huge} & a > -${huge}`, schema);
    const values = { a: valuesOf(schema[0]!, [2n ** 63n - 1n]), f: valuesOf(schema[1]!, [1e308]) };
    expect(Array.from(c.evaluate(values, 1))).toEqual([1]);
    const t0 = performance.now();
    const longest = compileExpression(`a < 1${"0".repeat(65_000)}`, schema);
    expect(Array.from(longest.evaluate(values, 1))).toEqual([1]);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(Array.from(compileExpression("f < 1e99999", schema).evaluate(values, 1))).toEqual([1]);
    expect(Array.from(compileExpression("f > 0x7fffffffffffffffffffffff", schema).evaluate(values, 1))).toEqual([1]);
  });

  it("random text never escapes as anything but ERR_BAD_EXPRESSION", () => {
    const schema = [schemaOf("a", "int64"), schemaOf("b", "bool"), schemaOf("s", "utf8")];
    const alphabet = fc.constantFrom(
      ..."ab s()[],&|~!=<>+-*/%\"'`\\0x1.e_ isnull notnull isnan in not and or true".split(""),
    );
    const pieces = fc.oneof(
      alphabet,
      fc.constantFrom("a", "b", "s", "isnull(", "in (", "==", "'x'", "1e9", " and ", " not "),
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 40 }).map((p) => p.join("")),
        (text) => {
          try {
            compileExpression(text, schema);
          } catch (e) {
            expect(isColzError(e, "ERR_BAD_EXPRESSION"), `${text}: ${String(e)}`).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("arbitrary unicode strings too", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        try {
          parseExpression(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ColzError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("hostile inputs: prototype names", () => {
  const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "prototype", "valueOf"];
  const schema: ColumnSchema[] = names.map((n) => schemaOf(n, "int32"));

  it("work as column names, in expressions, statistics and selections", async () => {
    const cells = Object.fromEntries(names.map((n, k) => [n, [k, k + 10, k + 20]]));
    Object.defineProperty(cells, "__proto__", { value: [0, 10, 20], enumerable: true });
    const src = fakeSource({ schema, cells, chunklen: 1 });
    const sel = await where(src, "__proto__ >= 10 & constructor < 21 & `toString` != 0", {
      columns: ["__proto__", "valueOf"],
    });
    expect(Array.from(sel.indices)).toEqual([1]);
    expect(Object.hasOwn(sel.columns, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(sel.columns)).toBe(Object.prototype);
    expect(cellsOf(sel.columns.__proto__ as unknown as ColumnValues)).toEqual([10]);
    expect(cellsOf(sel.columns.valueOf as unknown as ColumnValues)).toEqual([15]);
    // Chunk 0 is ruled out by statistics (its __proto__ max is 0): nothing of it is read.
    expect(src.reads.some((r) => r.start === 0)).toBe(false);
  });

  it("are never looked up on Object.prototype", () => {
    const c = compileExpression("constructor > 1", schema);
    expect(() => c.evaluate({}, 1)).toThrow(/"constructor": missing/);
    expect(c.mayMatch({})).toBe(true);
    expectBadExpression(
      () => compileExpression("__proto__ > 1", [schemaOf("x", "int32")]),
      /unknown column "__proto__"/,
    );
    expectBadExpression(() => compileExpression("constructor(1)", schema), /unknown function constructor/);
    expectBadExpression(() => compileExpression("toString > 1", []), /unknown column "toString".*\(columns: none\)/);
  });
});

describe("hostile inputs: unicode", () => {
  const schema = [schemaOf("名前", "utf8"), schemaOf("🙂 col", "<U2"), schemaOf("e\u0301", "int32")];
  const values = {
    名前: valuesOf(schema[0]!, ["東京", "😀", "e\u0301"]),
    "🙂 col": valuesOf(schema[1]!, ["😀", "ab", ""]),
    "e\u0301": valuesOf(schema[2]!, [1, 2, 3]),
  };
  const run = (expr: string) => Array.from(compileExpression(expr, schema).evaluate(values, 3));

  it("names and literals outside ASCII", () => {
    expect(run("名前 == '東京'")).toEqual([1, 0, 0]);
    expect(run("名前 == '\\u{1F600}' | `🙂 col` == '😀'")).toEqual([1, 1, 0]);
    expect(run("`🙂 col` > 'z'")).toEqual([1, 0, 0]);
    expect(run("e\u0301 > 1")).toEqual([0, 1, 1]); // a combining mark continues an identifier
    expect(run("名前 == 'e\u0301'")).toEqual([0, 0, 1]); // no normalisation: é (U+00E9) would not match
    expect(run("名前 == '\u00e9'")).toEqual([0, 0, 0]);
  });
});
