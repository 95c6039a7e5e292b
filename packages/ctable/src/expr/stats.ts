import type { ChunkSummary } from "../types.js";
import { INT64_MAX, INT64_MIN, type Node, typeOf } from "./ir.js";

// Chunk skipping. For a step, each value node gets a sound interval [lo, hi] covering every
// valid, non-NaN value it can take (min/max statistics, then interval arithmetic), and each
// condition node gets two flags: t (some row may be TRUE) and f (some row may be FALSE). Null
// rows are unknown, neither true nor false, which is what makes ~ exact here: ~c may be true
// only where c may be false. A step is skipped only when the root cannot be true.
//
// Statistics exclude NaN and NaT and do not count them, so float and datetime nodes always
// "may be NaN"; NaN satisfies only !=. Strings have no usable statistics (colz does not
// summarise them; a utf8 column's min/max would be of its offsets), only null counts.

type Num = number | bigint;

interface Info {
  lo: Num | undefined;
  hi: Num | undefined;
  /** Some valid row may be NaN/NaT (or a NaN may arise in arithmetic). */
  nan: boolean;
  mayNull: boolean;
  allNull: boolean;
}

interface Truth {
  t: boolean;
  f: boolean;
}

export interface StatsInput {
  stats: Record<string, ChunkSummary | undefined>;
  /** Rows in the step, when known: lets all-null columns prove a comparison can never hold. */
  rows: number | undefined;
}

const UNKNOWN: Info = { lo: undefined, hi: undefined, nan: true, mayNull: true, allNull: false };

const isNum = (x: unknown): x is Num => (typeof x === "number" && !Number.isNaN(x)) || typeof x === "bigint";
const eq = (x: Num, y: Num): boolean => !(x < y) && !(x > y);
const min = (xs: Num[]): Num => xs.reduce((m, x) => (x < m ? x : m));
const max = (xs: Num[]): Num => xs.reduce((m, x) => (x > m ? x : m));

function toBig(x: Num): bigint | undefined {
  if (typeof x === "bigint") return x;
  return Number.isInteger(x) ? BigInt(x) : undefined;
}

function columnInfo(node: Extract<Node, { op: "col" }>, input: StatsInput): Info {
  const { name, schema } = node.col;
  const s = Object.hasOwn(input.stats, name) ? input.stats[name] : undefined;
  const nc = s?.nullCount;
  const ty = node.ty;
  const info: Info = {
    lo: undefined,
    hi: undefined,
    nan: (ty.k === "num" && ty.n === "f") || ty.k === "time",
    mayNull: typeof nc === "number" ? nc > 0 : schema.nullable,
    allNull: typeof nc === "number" && input.rows !== undefined && input.rows > 0 && nc >= input.rows,
  };
  if (ty.k !== "str" && s !== undefined && isNum(s.min) && isNum(s.max) && s.min <= s.max) {
    info.lo = s.min;
    info.hi = s.max;
  }
  return info;
}

/** + - * over intervals: exact BigInt for int64 (no range when it could wrap), float64 otherwise (rounding is monotone). */
function arithRange(fn: string, kind: string, a: Info, b: Info): [Num, Num] | undefined {
  if (fn === "/" || fn === "%") return undefined;
  if (a.lo === undefined || a.hi === undefined || b.lo === undefined || b.hi === undefined) return undefined;
  if (kind === "i64") {
    const [al, ah, bl, bh] = [a.lo, a.hi, b.lo, b.hi].map(toBig);
    if (al === undefined || ah === undefined || bl === undefined || bh === undefined) return undefined;
    const xs = fn === "+" ? [al + bl, ah + bh] : fn === "-" ? [al - bh, ah - bl] : [al * bl, al * bh, ah * bl, ah * bh];
    const lo = min(xs) as bigint;
    const hi = max(xs) as bigint;
    return lo < INT64_MIN || hi > INT64_MAX ? undefined : [lo, hi];
  }
  const [al, ah, bl, bh] = [a.lo, a.hi, b.lo, b.hi].map(Number) as [number, number, number, number];
  // Infinite operands can meet (inf - inf, 0 * inf) inside the box, not only at its corners.
  if (![al, ah, bl, bh].every(Number.isFinite)) return undefined;
  const xs = fn === "+" ? [al + bl, ah + bh] : fn === "-" ? [al - bh, ah - bl] : [al * bl, al * bh, ah * bl, ah * bh];
  return [min(xs), max(xs)];
}

function info(node: Node, input: StatsInput): Info {
  switch (node.op) {
    case "col":
      return columnInfo(node, input);
    case "num": {
      const v = node.int ?? node.value;
      const nan = Number.isNaN(node.value);
      return { lo: nan ? undefined : v, hi: nan ? undefined : v, nan, mayNull: false, allNull: false };
    }
    case "str":
      return { lo: undefined, hi: undefined, nan: false, mayNull: false, allNull: false };
    case "arith": {
      const a = info(node.a, input);
      const b = info(node.b, input);
      const kind = node.ty.k === "num" ? node.ty.n : "f";
      const range = arithRange(node.fn, kind, a, b);
      return {
        lo: range?.[0],
        hi: range?.[1],
        nan: kind !== "i64" && (a.nan || b.nan || range === undefined),
        mayNull: a.mayNull || b.mayNull,
        allNull: a.allNull || b.allNull,
      };
    }
    case "neg": {
      const a = info(node.a, input);
      let lo: Num | undefined;
      let hi: Num | undefined;
      if (a.lo !== undefined && a.hi !== undefined) {
        const big = node.ty.k === "num" && node.ty.n === "i64";
        const l = big ? toBig(a.lo) : Number(a.lo);
        const h = big ? toBig(a.hi) : Number(a.hi);
        // -(-2^63) wraps to itself in int64: a range reaching it (or a looser bound below it)
        // says nothing about the negation.
        if (l !== undefined && h !== undefined && !(big && l <= INT64_MIN)) [lo, hi] = [-h, -l];
      }
      return { ...a, lo, hi };
    }
    case "tof": {
      const a = info(node.a, input);
      return { ...a, ...mapRange(a, Number) };
    }
    case "toi64": {
      const a = info(node.a, input);
      const l = a.lo === undefined ? undefined : toBig(a.lo);
      const h = a.hi === undefined ? undefined : toBig(a.hi);
      const ok = l !== undefined && h !== undefined && l >= INT64_MIN && h <= INT64_MAX;
      return { ...a, lo: ok ? l : undefined, hi: ok ? h : undefined, nan: false };
    }
    default:
      return UNKNOWN;
  }
}

function mapRange(a: Info, f: (x: Num) => Num): { lo: Num | undefined; hi: Num | undefined } {
  return { lo: a.lo === undefined ? undefined : f(a.lo), hi: a.hi === undefined ? undefined : f(a.hi) };
}

function compareTruth(node: Extract<Node, { op: "cmp" }>, input: StatsInput): Truth {
  const a = info(node.a, input);
  const b = info(node.b, input);
  if (a.allNull || b.allNull) return { t: false, f: false };
  if (typeOf(node.a).k === "bool") return { t: true, f: true };
  const { lo: alo, hi: ahi } = a;
  const blo = b.lo;
  let bhi = b.hi;
  if (alo === undefined || ahi === undefined || blo === undefined || bhi === undefined) return { t: true, f: true };
  // An inexact literal lies strictly between L and L + 1: widening it to [L, L + 1] stays sound.
  if (node.inexact) bhi = typeof bhi === "bigint" ? bhi + 1n : bhi + 1;
  const overlap = alo <= bhi && blo <= ahi;
  const allEqual = eq(alo, ahi) && eq(blo, bhi) && eq(alo, blo);
  let r: Truth;
  switch (node.fn) {
    case "<":
      r = { t: alo < bhi, f: ahi >= blo };
      break;
    case "<=":
      r = { t: alo <= bhi, f: ahi > blo };
      break;
    case ">":
      r = { t: ahi > blo, f: alo <= bhi };
      break;
    case ">=":
      r = { t: ahi >= blo, f: alo < bhi };
      break;
    case "==":
      r = { t: overlap, f: !allEqual };
      break;
    case "!=":
      r = { t: !allEqual, f: overlap };
      break;
  }
  if (a.nan || b.nan) {
    if (node.fn === "!=") r.t = true;
    else r.f = true;
  }
  return r;
}

function truth(node: Node, input: StatsInput): Truth {
  switch (node.op) {
    case "const":
      return { t: node.value, f: !node.value };
    case "col": {
      const a = columnInfo(node, input);
      if (a.allNull) return { t: false, f: false };
      return {
        t: a.hi === undefined || Number(a.hi) > 0,
        f: a.lo === undefined || Number(a.lo) < 1,
      };
    }
    case "cmp":
      return compareTruth(node, input);
    case "and":
    case "or": {
      const all = node.op === "and";
      let t = all;
      let f = !all;
      for (const arg of node.args) {
        const r = truth(arg, input);
        if (all) {
          t &&= r.t;
          f ||= r.f;
        } else {
          t ||= r.t;
          f &&= r.f;
        }
      }
      return { t, f };
    }
    case "not": {
      const r = truth(node.a, input);
      return { t: r.f, f: r.t };
    }
    case "isnull": {
      const a = info(node.a, input);
      const r = { t: a.mayNull, f: !a.allNull };
      return node.negate ? { t: r.f, f: r.t } : r;
    }
    case "isnan": {
      const a = info(node.a, input);
      return a.allNull ? { t: false, f: false } : { t: a.nan, f: true };
    }
    default:
      return { t: true, f: true };
  }
}

/**
 * False only when the statistics prove that no row of the step satisfies the condition `root`.
 *
 * @example
 * mayMatchTree(root, { stats: { price: { min: 1, max: 5 } }, rows: 100 }); // false for "price > 10"
 */
export function mayMatchTree(root: Node, input: StatsInput): boolean {
  return truth(root, input).t;
}
