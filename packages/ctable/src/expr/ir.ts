import type { Dtype } from "@colz/format";
import type { ColumnSchema } from "../types.js";
import type { ArithOp, CompareOp } from "./ast.js";

// The typed tree compileExpression builds from the syntax tree: names resolved, types checked,
// constants folded, literals converted to the representation of what they are compared with.

/**
 * Numeric kinds. "f": float64 arithmetic (floats; also NaN/Infinity). "i": integer-valued float64
 * (integer columns up to 32 bits, small integer literals). "i64"/"u64": exact 64-bit integers.
 */
export type NumKind = "f" | "i" | "i64" | "u64";

export type Ty =
  | { k: "bool" }
  | { k: "num"; n: NumKind }
  /** Strings; `wide` for NumPy <U (UCS-4 code points), else bytes (utf8, binary, |S). */
  | { k: "str"; wide: boolean }
  /** datetime64 ("M") / timedelta64 ("m") ticks in `unit`. */
  | { k: "time"; dt: "M" | "m"; unit: string };

export interface ColumnRef {
  name: string;
  schema: ColumnSchema;
  /** Parsed dtype of fixed columns (undefined for utf8/binary). */
  dtype: Dtype | undefined;
}

export type Node =
  | { op: "const"; value: boolean }
  | { op: "col"; col: ColumnRef; ty: Ty }
  /** Numeric literal (`int` exact when integral) as an arithmetic or comparison operand. */
  | { op: "num"; value: number; int: bigint | undefined; ty: Ty }
  /** String literal as a comparison operand (already checked against the other side). */
  | { op: "str"; value: string; ty: Ty }
  | { op: "arith"; fn: ArithOp; a: Node; b: Node; ty: Ty }
  | { op: "neg"; a: Node; ty: Ty }
  /** Conversions: i64/u64 → float64 ("tof"), integer-valued float64 → int64 ("toi64"). */
  | { op: "tof" | "toi64"; a: Node; ty: Ty }
  /**
   * Comparison, column-like operand first. `inexact`: `b` is an integer literal L standing for a
   * value strictly between L and L + 1 (a datetime literal finer than the column's unit).
   */
  | { op: "cmp"; fn: CompareOp; a: Node; b: Node; inexact: boolean }
  | { op: "and" | "or"; args: Node[] }
  | { op: "not"; a: Node }
  | { op: "isnull"; a: Node; negate: boolean }
  | { op: "isnan"; a: Node };

export const BOOL: Ty = { k: "bool" };

/** The type of a node (bool for every logical node). */
export function typeOf(n: Node): Ty {
  switch (n.op) {
    case "col":
    case "num":
    case "str":
    case "arith":
    case "neg":
    case "tof":
    case "toi64":
      return n.ty;
    default:
      return BOOL;
  }
}

/** The comparison that holds when operands are swapped: a < b ⇔ b > a. */
export function flipCompare(op: CompareOp): CompareOp {
  switch (op) {
    case "<":
      return ">";
    case "<=":
      return ">=";
    case ">":
      return "<";
    case ">=":
      return "<=";
    default:
      return op;
  }
}

/** True when a three-way comparison result (-1, 0, 1) satisfies `op`. */
export function compareHolds(op: CompareOp, c: number): boolean {
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
  }
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;
