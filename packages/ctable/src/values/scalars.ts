import type { Dtype } from "@colz/format";
import { badArgument } from "../errors.js";
import { msToCount } from "./dates.js";

// Per-element conversion of JavaScript values into a numeric dtype's typed-array slot. Every
// value that would not survive the trip exactly is refused with a message naming the column and
// row: NumPy would wrap or truncate silently, which turns a typo into corrupted data.

const INT_RANGES: Record<string, [number, number]> = {
  i1: [-128, 127],
  i2: [-32768, 32767],
  i4: [-(2 ** 31), 2 ** 31 - 1],
  u1: [0, 255],
  u2: [0, 65535],
  u4: [0, 2 ** 32 - 1],
};
const I64: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const U64: [bigint, bigint] = [0n, 2n ** 64n - 1n];

function describe(v: unknown): string {
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === "bigint") return `bigint ${v}`;
  if (v instanceof Date) return `Date ${v.toISOString?.() ?? v}`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  return `${typeof v} ${String(v)}`;
}

/**
 * A converter of one JS value to the number or bigint stored in a typed array of `dtype` (bool,
 * int, uint, float, datetime64, timedelta64). `what` names the column in errors; the converter
 * takes the row index for its messages.
 *
 * @example
 * const conv = scalarConverter(parseDtype("int8"), 'column "x"');
 * conv(5, 0); // 5
 * conv(300, 1); // throws ERR_BAD_ARGUMENT: column "x" row 1: 300 does not fit int8
 */
export function scalarConverter(dtype: Dtype, what: string): (v: unknown, row: number) => number | bigint {
  const fail = (v: unknown, row: number, why: string) =>
    badArgument(`${what} row ${row}: ${describe(v)} ${why} (dtype ${dtype.str})`);
  switch (dtype.kind) {
    case "b":
      return (v, row) => {
        if (v === true || v === 1 || v === 1n) return 1;
        if (v === false || v === 0 || v === 0n) return 0;
        throw fail(v, row, "is not a boolean");
      };
    case "f":
      return (v, row) => {
        if (typeof v === "number") return v;
        if (typeof v === "bigint") return Number(v);
        if (typeof v === "boolean") return v ? 1 : 0;
        throw fail(v, row, "is not a number");
      };
    case "i":
    case "u": {
      if (dtype.itemsize === 8) {
        const [lo, hi] = dtype.kind === "i" ? I64 : U64;
        return (v, row) => {
          const b = toBigInt(v);
          if (b === undefined) throw fail(v, row, "is not an integer");
          if (b < lo || b > hi) throw fail(v, row, "is out of range");
          return b;
        };
      }
      const [lo, hi] = INT_RANGES[`${dtype.kind}${dtype.itemsize}`]!;
      return (v, row) => {
        const n = typeof v === "bigint" ? Number(v) : typeof v === "boolean" ? (v ? 1 : 0) : v;
        if (typeof n !== "number" || !Number.isInteger(n)) throw fail(v, row, "is not an integer");
        if (n < lo || n > hi) throw fail(v, row, "is out of range");
        return n;
      };
    }
    case "M":
    case "m": {
      const unit = dtype.unit!;
      return (v, row) => {
        if (dtype.kind === "M" && v instanceof Date) return msToCount(v.getTime(), unit);
        if (dtype.kind === "M" && typeof v === "string") {
          const ms = Date.parse(v);
          if (Number.isNaN(ms)) throw fail(v, row, "is not a date");
          return msToCount(ms, unit);
        }
        const b = typeof v === "boolean" ? undefined : toBigInt(v);
        if (b === undefined) throw fail(v, row, `is not a count of [${unit}]`);
        if (b < I64[0] || b > I64[1]) throw fail(v, row, "is out of range");
        return b;
      };
    }
    default:
      throw badArgument(`${what}: dtype ${dtype.str} has no numeric conversion`);
  }
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  return undefined;
}
