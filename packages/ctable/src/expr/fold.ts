import type { ArithOp, CompareOp, Expr } from "./ast.js";
import { exprError } from "./errors.js";
import { compareHolds, INT64_MAX, INT64_MIN, type Node, type NumKind, type Ty, typeOf } from "./ir.js";
import { compareCodePoints } from "./strings.js";

// Constant folding and small helpers of the compiler. Integer literals fold exactly (BigInt, no
// wrap-around: a literal is a mathematical value), float literals in float64.

export type NumLit = Extract<Node, { op: "num" }>;

/** A numeric literal node: integer literals within int64 count as integer-typed ("i"). */
export function numLit(value: number, int: bigint | undefined): NumLit {
  const n: NumKind = int !== undefined && int >= INT64_MIN && int <= INT64_MAX ? "i" : "f";
  return { op: "num", value, int, ty: { k: "num", n } };
}

export function isLiteral(n: Node): boolean {
  return n.op === "num" || n.op === "str" || n.op === "const";
}

/** Exact three-way comparison of numbers/bigints (JS compares the two types by value); 2 when NaN is involved. */
export function compareExact(x: number | bigint, y: number | bigint): number {
  if (typeof x === "number" && Number.isNaN(x)) return 2;
  if (typeof y === "number" && Number.isNaN(y)) return 2;
  return x < y ? -1 : x > y ? 1 : 0;
}

function floorModBig(x: bigint, y: bigint): bigint {
  const r = x % y;
  return r !== 0n && r < 0n !== y < 0n ? r + y : r;
}

/** Folds `a fn b` for two numeric literals; division or remainder by zero is an error, as in Python. */
export function foldArith(text: string, pos: number, fn: ArithOp, a: NumLit, b: NumLit): NumLit {
  if ((fn === "/" || fn === "%") && b.value === 0) throw exprError(text, pos, `division by zero in a constant`);
  if (a.int !== undefined && b.int !== undefined && fn !== "/") {
    const r =
      fn === "+" ? a.int + b.int : fn === "-" ? a.int - b.int : fn === "*" ? a.int * b.int : floorModBig(a.int, b.int);
    return numLit(Number(r), r);
  }
  const x = a.value;
  const y = b.value;
  let r: number;
  if (fn === "+") r = x + y;
  else if (fn === "-") r = x - y;
  else if (fn === "*") r = x * y;
  else if (fn === "/") r = x / y;
  else {
    r = x % y;
    if (r !== 0 && r < 0 !== y < 0) r += y;
    else if (r === 0) r = y < 0 ? -0 : 0;
  }
  return numLit(r, undefined);
}

/** Folds a comparison of two literals to true/false; undefined when the two cannot be compared. */
export function foldCompare(op: CompareOp, a: Node, b: Node): boolean | undefined {
  let c: number;
  if (a.op === "num" && b.op === "num") c = compareExact(a.int ?? a.value, b.int ?? b.value);
  else if (a.op === "str" && b.op === "str") c = compareCodePoints(a.value, b.value);
  else if (a.op === "const" && b.op === "const" && (op === "==" || op === "!=")) c = a.value === b.value ? 0 : 1;
  else return undefined;
  return c === 2 ? op === "!=" : compareHolds(op, c);
}

/** Offset of the first character of a syntax node. */
export function startOf(e: Expr): number {
  switch (e.type) {
    case "arith":
    case "compare":
      return startOf(e.left);
    case "logical":
      return startOf(e.operands[0]!);
    case "in":
      return startOf(e.operand);
    default:
      return e.pos;
  }
}

export function typeLabel(ty: Ty): string {
  switch (ty.k) {
    case "bool":
      return "boolean";
    case "num":
      return { f: "float64", i: "integer", i64: "int64", u64: "uint64" }[ty.n];
    case "str":
      return "string";
    case "time":
      return `${ty.dt === "M" ? "datetime64" : "timedelta64"}[${ty.unit}]`;
  }
}

/** How messages name an operand: `utf8 column "sym"`, `number 10`, `int64 expression`. */
export function describe(n: Node): string {
  switch (n.op) {
    case "col": {
      const s = n.col.schema;
      return `${s.kind === "fixed" ? s.dtype : s.kind} column ${JSON.stringify(n.col.name)}`;
    }
    case "num":
      return `number ${n.int !== undefined ? n.int.toString() : String(n.value)}`;
    case "str":
      return `string ${JSON.stringify(n.value)}`;
    case "const":
      return String(n.value);
    default:
      return `${typeLabel(typeOf(n))} expression`;
  }
}
