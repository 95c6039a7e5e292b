import fc from "fast-check";
import type { ColumnInput, ColumnSpec, JsValue } from "../../src/index.js";

/** One column type under test: how to generate its values and what the model expects back. */
export interface DtypeCase {
  name: string;
  spec: Omit<ColumnSpec, "name">;
  value: fc.Arbitrary<JsValue>;
  /** What resize() fills new rows with (null for nullable columns, else the dtype's zero). */
  fill: JsValue;
  /** Values as the column reads them back (float32 rounding). */
  normalize?: (v: JsValue) => JsValue;
  /** A typed-array form of a batch, for the append paths that take one (non-null numeric only). */
  typed?: (values: JsValue[]) => ColumnInput;
  /** sum/min/max/mean apply. */
  numeric?: boolean;
}

const I64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const ascii = fc.string({ unit: "grapheme-ascii", maxLength: 5 });
const codePoint = fc
  .integer({ min: 1, max: 0x10ffff })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCodePoint(c));
const text = fc.string({ unit: "binary", maxLength: 6 });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 4 });

function intCase(name: string, min: number, max: number, Ctor: { from(a: number[]): ColumnInput }): DtypeCase {
  return {
    name,
    spec: { dtype: name },
    value: fc.integer({ min, max }),
    fill: 0,
    typed: (v) => Ctor.from(v as number[]),
    numeric: true,
  };
}

/** Every dtype family colz stores, with chunk-boundary-friendly value generators. */
export const CASES: DtypeCase[] = [
  {
    name: "bool",
    spec: { dtype: "bool" },
    value: fc.boolean(),
    fill: false,
    typed: (v) => Uint8Array.from(v as boolean[], (b) => (b ? 1 : 0)),
    numeric: true,
  },
  intCase("int8", -128, 127, Int8Array as never),
  intCase("int16", -32768, 32767, Int16Array as never),
  intCase("int32", -(2 ** 31), 2 ** 31 - 1, Int32Array as never),
  intCase("uint8", 0, 255, Uint8Array as never),
  intCase("uint16", 0, 65535, Uint16Array as never),
  intCase("uint32", 0, 2 ** 32 - 1, Uint32Array as never),
  {
    name: "int64",
    spec: { dtype: "int64" },
    value: fc.bigInt(I64),
    fill: 0n,
    typed: (v) => BigInt64Array.from(v as bigint[]),
    numeric: true,
  },
  {
    name: "uint64",
    spec: { dtype: "uint64" },
    value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    fill: 0n,
    typed: (v) => BigUint64Array.from(v as bigint[]),
    numeric: true,
  },
  {
    name: "float32",
    spec: { dtype: "float32" },
    value: fc.float(),
    fill: 0,
    normalize: (v) => (typeof v === "number" ? Math.fround(v) : v),
    typed: (v) => Float32Array.from(v as number[]),
    numeric: true,
  },
  {
    name: "float64",
    spec: { dtype: "float64" },
    value: fc.double(),
    fill: 0,
    typed: (v) => Float64Array.from(v as number[]),
    numeric: true,
  },
  { name: "|S5", spec: { dtype: "|S5" }, value: ascii, fill: "" },
  {
    name: "<U3",
    spec: { dtype: "<U3" },
    value: fc.array(codePoint, { maxLength: 3 }).map((a) => a.join("")),
    fill: "",
  },
  { name: "datetime64[ns]", spec: { dtype: "datetime64[ns]" }, value: fc.bigInt(I64), fill: 0n, numeric: true },
  { name: "datetime64[D]", spec: { dtype: "datetime64[D]" }, value: fc.bigInt(I64), fill: 0n, numeric: true },
  { name: "timedelta64[s]", spec: { dtype: "timedelta64[s]" }, value: fc.bigInt(I64), fill: 0n, numeric: true },
  { name: "utf8", spec: { dtype: "utf8" }, value: text, fill: "" },
  { name: "utf8?", spec: { dtype: "utf8", nullable: true }, value: nullable(text), fill: null },
  {
    name: "binary?",
    spec: { dtype: "binary", nullable: true },
    value: nullable(fc.uint8Array({ maxLength: 6 })),
    fill: null,
  },
  {
    name: "float64?",
    spec: { dtype: "float64", nullable: true },
    value: nullable(fc.double()),
    fill: null,
    numeric: true,
  },
  {
    name: "int32?",
    spec: { dtype: "int32", nullable: true },
    value: nullable(fc.integer()),
    fill: null,
    numeric: true,
  },
  { name: "bool?", spec: { dtype: "bool", nullable: true }, value: nullable(fc.boolean()), fill: null },
];

/** A case by name. */
export function caseNamed(name: string): DtypeCase {
  const c = CASES.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no case ${name}`);
  return c;
}

/** Python's list[start:stop:step] on the model. */
export function pySlice<T>(a: readonly T[], start?: number, stop?: number, step = 1): T[] {
  const n = a.length;
  const clamp = (v: number | undefined, d: number, lo: number, hi: number) =>
    v === undefined ? d : Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const out: T[] = [];
  if (step > 0) {
    const s = clamp(start, 0, 0, n);
    const e = clamp(stop, n, 0, n);
    for (let i = s; i < e; i += step) out.push(a[i]!);
  } else {
    const s = clamp(start, n - 1, -1, n - 1);
    const e = clamp(stop, -1, -1, n - 1);
    for (let i = s; i > e; i += step) out.push(a[i]!);
  }
  return out;
}

/** NumPy-style reductions on the model, matching CArray's semantics (nulls skipped, NaN propagates, NaT skipped). */
export function modelReduce(
  values: readonly JsValue[],
  op: "sum" | "min" | "max",
  c: DtypeCase,
): number | bigint | undefined {
  const time = c.name.startsWith("datetime") || c.name.startsWith("timedelta");
  const NAT = -(2n ** 63n);
  const xs = values
    .filter((v) => v !== null && !(time && v === NAT))
    .map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v)) as (number | bigint)[];
  if (xs.some((x) => typeof x === "number" && Number.isNaN(x))) return Number.NaN;
  if (op === "sum")
    return xs.reduce(
      (s: number | bigint, x) => (typeof x === "bigint" ? (s as bigint) + x : (s as number) + x),
      typeof xs[0] === "bigint" || c.fill === 0n ? 0n : 0,
    );
  if (xs.length === 0) return undefined;
  return xs.reduce((m, x) => (op === "min" ? (x < m ? x : m) : x > m ? x : m));
}
