import { isColzError, parseDtype } from "@colz/format";
import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/expr/index.js";
import type { ColumnSchema, ColumnValues } from "../../src/types.js";
import { type Cell, schemaOf, valuesOf } from "./helpers.js";

// Example-based checks of the language's semantics: each table lists columns, then
// expressions with the rows they must select.

function run(columns: Record<string, [string, Cell[]]>, expr: string): number[] {
  const schema: ColumnSchema[] = Object.entries(columns).map(([n, [d, cells]]) => schemaOf(n, d, cells.includes(null)));
  const c = compileExpression(expr, schema);
  const values: Record<string, ColumnValues> = {};
  let n = 0;
  for (const s of schema) {
    const cells = columns[s.name]![1];
    n = cells.length;
    values[s.name] = valuesOf(s, cells);
  }
  const mask = c.evaluate(values, n);
  return [...mask.keys()].filter((i) => mask[i] === 1);
}

function compileError(schema: ColumnSchema[], expr: string): string {
  try {
    compileExpression(expr, schema);
  } catch (e) {
    expect(isColzError(e, "ERR_BAD_EXPRESSION")).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`expected ${expr} to fail`);
}

describe("evaluation semantics", () => {
  const t = {
    price: ["float64", [1, 20, Number.NaN, 10, -0, Number.POSITIVE_INFINITY]] as [string, Cell[]],
    qty: ["int32", [1, 2, 3, null, 5, 6]] as [string, Cell[]],
    sym: ["utf8", ["AAPL", "MSFT", null, "aapl", "", "AAPL"]] as [string, Cell[]],
    flag: ["bool", [true, false, null, true, false, true]] as [string, Cell[]],
  };
  const cases: [string, number[]][] = [
    ["price > 10", [1, 5]],
    ["price == 10", [3]],
    ["price == 0", [4]],
    ["price != 10", [0, 1, 2, 4, 5]], // NaN != 10 holds, as in NumPy
    ["~(price > 10)", [0, 2, 3, 4]],
    ["isnan(price)", [2]],
    ["qty > 2", [2, 4, 5]],
    ["~(qty > 2)", [0, 1]], // a null row is neither > 2 nor its negation
    ["isnull(qty)", [3]],
    ["notnull(qty) & qty < 3", [0, 1]],
    ["qty > 2 | flag", [0, 2, 3, 4, 5]], // null | true = true (Kleene)
    ["qty > 2 & flag", [5]],
    ["flag", [0, 3, 5]],
    ["~flag", [1, 4]],
    ["flag == true", [0, 3, 5]],
    ["flag != flag", []],
    ['sym == "AAPL"', [0, 5]],
    ['sym != "AAPL"', [1, 3, 4]],
    ['sym < "B"', [0, 4, 5]],
    ['sym in ("MSFT", "aapl")', [1, 3]],
    ['sym not in ("MSFT", "aapl")', [0, 4, 5]],
    ['sym == ""', [4]],
    ["qty * 2 + 1 == 7", [2]],
    ["qty / 2 == 1.5", [2]],
    ["qty % 4 == 1", [0, 4]],
    ["-qty < -4", [4, 5]],
    ["qty in (1, 5)", [0, 4]],
    ["price * 0 == 0", [0, 1, 3, 4]], // inf * 0 is NaN
    ["true", [0, 1, 2, 3, 4, 5]],
    ["1 > 2", []],
    ["qty > 1 & false", []],
    ["isnull(sym) | sym == 'MSFT'", [1, 2]],
  ];
  for (const [expr, rows] of cases) it(expr, () => expect(run(t, expr)).toEqual(rows));
});

describe("int64 and uint64 are exact beyond 2^53", () => {
  const big = 2n ** 53n;
  const t = {
    a: ["int64", [big, big + 1n, -(2n ** 63n), 2n ** 63n - 1n, 0n]] as [string, Cell[]],
    u: ["uint64", [2n ** 64n - 1n, 2n ** 63n, 0n, 1n, big + 1n]] as [string, Cell[]],
    f: ["float64", [9007199254740992, 9007199254740992, -1, 1e19, 0.5]] as [string, Cell[]],
  };
  const cases: [string, number[]][] = [
    ["a == 9007199254740993", [1]],
    ["a > 9007199254740992", [1, 3]],
    ["a == -9223372036854775808", [2]],
    ["a < -9223372036854775809", []],
    ["a < 99999999999999999999999", [0, 1, 2, 3, 4]],
    ["a > 2.5", [0, 1, 3]],
    ["a == f", [0]], // 2^53 + 1 != 2^53 even though it rounds there
    ["a < f", [2, 3, 4]], // 2^63 - 1 < 1e19
    ["u > 9223372036854775807", [0, 1]],
    ["u == 18446744073709551615", [0]],
    ["u > a", [0, 1, 2, 4]],
    ["u == a", []],
    ["a + 1 == 9007199254740994", [1]],
    ["a + 1 < a", [3]], // int64 wraps, as in NumPy
    ["a * 2 == 18014398509481984", [0]],
    ["a - 1 == 9007199254740992", [1]],
    ["a % 3 == 2", [0]],
    ["a % -3 == -2", [2, 3]], // the remainder takes the divisor's sign, as in Python
    ["-a == a", [2, 4]],
    ["f == 9007199254740993", []],
    ["f < 9007199254740993", [0, 1, 2, 4]],
  ];
  for (const [expr, rows] of cases) it(expr, () => expect(run(t, expr)).toEqual(rows));
});

describe("datetime64 and fixed strings", () => {
  const day = (s: string) => BigInt(Date.parse(s) / 86_400_000);
  const ns = (s: string) => BigInt(Date.parse(s)) * 1_000_000n;
  const t = {
    d: ["datetime64[D]", [day("2024-01-01"), day("2023-12-31"), -(2n ** 63n), day("2024-03-01")]] as [string, Cell[]],
    t: ["datetime64[ns]", [ns("2024-01-01T09:30:00Z"), ns("2024-01-01T00:00:00Z") + 1n, 0n, -(2n ** 63n)]] as [
      string,
      Cell[],
    ],
    s: ["|S4", ["ab", "abcd", "", "a\u00e9"]] as [string, Cell[]],
    w: ["<U3", ["ab", "\u{1F600}", "", "abc"]] as [string, Cell[]],
  };
  const cases: [string, number[]][] = [
    ['d >= "2024-01-01"', [0, 3]],
    ['d == "2024-01-01"', [0]],
    ['d > "2023-12-31T12:00"', [0, 3]], // finer than the unit: compared exactly, as NumPy
    ['d < "2024-01-01T00:00:01"', [0, 1]],
    ['d == "2024-01-01T00:00:01"', []],
    ['d != "2024-01-01T00:00:01"', [0, 1, 2, 3]],
    ['d == "2024"', [0]],
    ['d < "2024-02"', [0, 1]],
    ["d == 19723", [0]],
    ["d != d", [2]], // NaT != NaT, as NumPy
    ["isnan(d)", [2]],
    ['t > "2024-01-01"', [0, 1]],
    ['t == "2024-01-01T09:30:00.000000000Z"', [0]],
    ['t < "1970-01-01T00:00:00.000000000001"', [2]],
    ['s == "ab"', [0]], // trailing NULs are stripped, as NumPy
    ['s == "abcd"', [1]],
    ['s == ""', [2]],
    ['s == "a\u00e9"', [3]], // |S compares UTF-8 bytes
    ['s > "ab"', [1, 3]],
    ['w == "\u{1F600}"', [1]],
    ['w > "\uFFFF"', [1]], // code point order, not UTF-16
    ['w in ("", "abc")', [2, 3]],
  ];
  for (const [expr, rows] of cases) it(expr, () => expect(run(t, expr)).toEqual(rows));
});

describe("compile errors", () => {
  const schema = [
    schemaOf("price", "float64"),
    schemaOf("sym", "utf8"),
    schemaOf("flag", "bool"),
    schemaOf("day", "datetime64[D]"),
    schemaOf("span", "timedelta64[s]"),
    schemaOf("wide", "<U4"),
    schemaOf("Volume", "int64"),
  ];
  const cases: [string, RegExp][] = [
    ["prce > 1", /unknown column "prce" at column 1 .*did you mean "price"\? \(columns: "price", "sym"/],
    ["volume > 1", /did you mean "Volume"/],
    ["zzz > 1", /unknown column "zzz".*\(columns: /],
    ['price > "10"', /cannot compare float64 column "price" with string "10"/],
    ["sym == 1", /cannot compare utf8 column "sym" with number 1/],
    ["sym == wide", /<U text/],
    ["flag > true", /booleans have no order/],
    ["flag == 1", /cannot compare bool column "flag" with number 1/],
    ["price & flag", /"&\/and" combines conditions, but float64 column "price" is not one.*x != 0/],
    ["~price", /"~\/not" combines conditions/],
    ["price + 1", /must be a condition, not float64 expression/],
    ["sym + 1", /"\+" needs numbers, got utf8 column "sym"/],
    ["flag * 2 > 1", /needs numbers, got bool column "flag"/],
    ["day + 1 > 0", /datetime64\/timedelta64 values can only be compared/],
    ['day > "yesterday"', /string "yesterday" is not an ISO-8601 date/],
    ['day > "2024-02-30"', /not an ISO-8601 date/],
    ['span > "2024-01-01"', /compares with integers/],
    ["day == span", /cannot compare datetime64\[D\] with timedelta64\[s\]/],
    ["day > price", /cannot compare datetime64\[D\] column "day" with float64 column "price"/],
    ["x in (price)", /unknown column "x"/],
    ["price in (sym)", /takes literal values/],
    ["price in (1, 'a')", /cannot compare float64 column "price" with string "a"/],
    ["isnan(sym)", /isnan\(\) needs a number/],
    ["price > 1 / 0", /division by zero in a constant/],
    ["'a' < 1", /cannot compare string "a" with number 1/],
    ["false & zzz > 1", /unknown column "zzz"/], // operands after a deciding constant are still checked
    ["true | sym > 1", /cannot compare utf8 column "sym" with number 1/],
  ];
  for (const [expr, message] of cases) it(expr, () => expect(compileError(schema, expr)).toMatch(message));

  it("rejects multi-dimensional columns", () => {
    const s = [{ name: "m", dtype: "float64", kind: "fixed", nullable: false, atomShape: [2, 3] } as ColumnSchema];
    expect(compileError(s, "m > 1")).toMatch(/shape \(2, 3\)/);
  });

  it("lists the columns it reads, once each, in order of use", () => {
    const c = compileExpression("(sym == 'x' | price > 1) & price < 5 & flag", schema);
    expect(c.columns).toEqual(["sym", "price", "flag"]);
  });

  it("checks the values it is given", () => {
    const c = compileExpression("price > 1", schema);
    expect(() => c.evaluate({}, 1)).toThrow(/missing/);
    const v = { kind: "fixed", dtype: parseDtype("float64"), length: 2, data: new Float64Array(2) } as ColumnValues;
    expect(() => c.evaluate({ price: v }, 3)).toThrow(/2 rows, expected 3/);
  });
});
