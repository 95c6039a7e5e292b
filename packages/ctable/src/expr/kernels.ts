import type { ArithOp, CompareOp } from "./ast.js";
import { compareHolds } from "./ir.js";

// Vectorised kernels over one scan step. Values travel as typed arrays; nothing is allocated
// per row. Booleans are three-valued (SQL/Kleene logic, so nulls never match): 0 = false,
// 1 = unknown (null), 2 = true, which makes AND a min, OR a max and NOT a 2 - x.
// 64-bit integers are handled as 32-bit halves (lo = u[2i], hi = u/s[2i + 1]; hosts are
// little-endian): reading a BigInt64Array element would allocate a BigInt per row.

/** float64 values, with a validity byte per row (0 = null) when any may be null. */
export interface FVec {
  t: "f";
  d: Float64Array;
  valid: Uint8Array | undefined;
}

/** Exact 64-bit integers as 32-bit words; `nat`: the value -2^63 is NaT (datetime64/timedelta64). */
export interface IVec {
  t: "i";
  u: Uint32Array;
  s: Int32Array;
  unsigned: boolean;
  nat: boolean;
  valid: Uint8Array | undefined;
}

/** Three-valued booleans (0 false, 1 unknown, 2 true). */
export interface BVec {
  t: "b";
  tri: Uint8Array;
}

export const TWO32 = 4294967296;
const NAT_HI = -2147483648;

/** Rows valid in both inputs (undefined when every row of both is valid). */
export function bothValid(a: Uint8Array | undefined, b: Uint8Array | undefined, n: number): Uint8Array | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0;
  return out;
}

/** Views an 8-byte-per-row integer array (BigInt64Array/BigUint64Array) as an IVec without copying. */
export function ivecOf(
  data: BigInt64Array | BigUint64Array,
  n: number,
  unsigned: boolean,
  nat: boolean,
  valid: Uint8Array | undefined,
): IVec {
  const u = new Uint32Array(data.buffer, data.byteOffset, 2 * n);
  const s = new Int32Array(data.buffer, data.byteOffset, 2 * n);
  return { t: "i", u, s, unsigned, nat, valid };
}

/** A constant broadcast to n rows (literals are materialised once per step, not per row). */
export function fillI(value: bigint, n: number): IVec {
  return ivecOf(new BigInt64Array(n).fill(BigInt.asIntN(64, value)), n, false, false, undefined);
}

// ---- comparisons ----
// Each comparison kernel classifies a row as less / equal / greater / unordered (NaN, NaT) and
// writes `table[class]`, the three-valued answer of the operator for that class (see
// compareTable), in the same pass; nulls are applied afterwards by applyNulls.

const LT = 0;
const EQ = 1;
const GT = 2;
const UNORDERED = 3;

/**
 * Answers of `op` for less, equal, greater, unordered: unordered pairs satisfy only "!=" (NumPy).
 * `inexact`: the right operand lies strictly above the integer it is compared as, so "equal"
 * means "less".
 */
export function compareTable(op: CompareOp, inexact: boolean): Uint8Array {
  const t = new Uint8Array(4);
  for (let c = -1; c <= 1; c++) t[c + 1] = compareHolds(op, c) ? 2 : 0;
  if (inexact) t[EQ] = t[LT]!;
  t[UNORDERED] = op === "!=" ? 2 : 0;
  return t;
}

export function cmpFF(a: Float64Array, b: Float64Array | number, t: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (typeof b === "number") {
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      out[i] = t[x < b ? LT : x > b ? GT : x === b ? EQ : UNORDERED]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      const y = b[i]!;
      out[i] = t[x < y ? LT : x > y ? GT : x === y ? EQ : UNORDERED]!;
    }
  }
  return out;
}

/** float64 against an integer beyond 2^53: JS compares number and bigint by exact value. */
export function cmpFBig(a: Float64Array, b: bigint, t: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    out[i] = t[Number.isNaN(x) ? UNORDERED : x < b ? LT : x > b ? GT : EQ]!;
  }
  return out;
}

function hiWords(v: IVec): Int32Array | Uint32Array {
  return v.unsigned ? v.u : v.s;
}

/** Two 64-bit integer vectors, any mix of signedness: comparing the true high words, then the low words, is exact. */
export function cmpII(a: IVec, b: IVec, t: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const ah = hiWords(a);
  const bh = hiWords(b);
  const al = a.u;
  const bl = b.u;
  for (let i = 0; i < n; i++) {
    const x = ah[2 * i + 1]!;
    const y = bh[2 * i + 1]!;
    const xl = al[2 * i]!;
    const yl = bl[2 * i]!;
    out[i] = t[x < y ? LT : x > y ? GT : xl < yl ? LT : xl > yl ? GT : EQ]!;
  }
  if (a.nat || b.nat) markNat(out, t, a.nat ? a : undefined, b.nat ? b : undefined, n);
  return out;
}

function markNat(out: Uint8Array, t: Uint8Array, a: IVec | undefined, b: IVec | undefined, n: number): void {
  for (let i = 0; i < n; i++) {
    const na = a !== undefined && a.s[2 * i + 1] === NAT_HI && a.u[2 * i] === 0;
    const nb = b !== undefined && b.s[2 * i + 1] === NAT_HI && b.u[2 * i] === 0;
    if (na || nb) out[i] = t[UNORDERED]!;
  }
}

/** A 64-bit integer vector against an exact integer (any size: beyond the 64-bit range the answer is constant). */
export function cmpIScalar(a: IVec, value: bigint, t: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (value < -(2n ** 63n) || value >= 2n ** 64n) {
    out.fill(t[value < 0n ? GT : LT]!);
  } else {
    const yh = Number(value >> 32n); // floor(value / 2^32): the true high word, signed or not
    const yl = Number(value & 0xffffffffn);
    const ah = hiWords(a);
    const al = a.u;
    for (let i = 0; i < n; i++) {
      const x = ah[2 * i + 1]!;
      const xl = al[2 * i]!;
      out[i] = t[x < yh ? LT : x > yh ? GT : xl < yl ? LT : xl > yl ? GT : EQ]!;
    }
  }
  if (a.nat) markNat(out, t, a, undefined, n);
  return out;
}

/**
 * A 64-bit integer vector against float64 values, exactly. The rounded integer decides unless
 * it ties with the double; a tying double is integral or below 2^53, so splitting it into
 * words is exact and the word comparison settles it.
 */
export function cmpIF(a: IVec, b: Float64Array | number, t: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const ah = hiWords(a);
  const al = a.u;
  const scalar = typeof b === "number";
  for (let i = 0; i < n; i++) {
    const d = scalar ? b : b[i]!;
    const hi = ah[2 * i + 1]!;
    const lo = al[2 * i]!;
    const x = hi * TWO32 + lo;
    let c: number;
    if (Number.isNaN(d)) c = UNORDERED;
    else if (x < d) c = LT;
    else if (x > d) c = GT;
    else {
      const dh = Math.floor(d / TWO32);
      const dl = d - dh * TWO32;
      c = hi < dh ? LT : hi > dh ? GT : lo < dl ? LT : lo > dl ? GT : EQ;
    }
    out[i] = t[c]!;
  }
  if (a.nat) markNat(out, t, a, undefined, n);
  return out;
}

/** Rows null in either operand become unknown (1). */
export function applyNulls(
  out: Uint8Array,
  validA: Uint8Array | undefined,
  validB: Uint8Array | undefined,
  n: number,
): Uint8Array {
  for (const valid of [validA, validB]) {
    if (valid !== undefined) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = 1;
  }
  return out;
}

// ---- arithmetic ----

/** Python/NumPy remainder: the sign follows the divisor; `intMode` makes x % 0 = 0 as NumPy integers do. */
function floorMod(x: number, y: number, intMode: boolean): number {
  if (intMode && y === 0) return 0;
  let r = x % y;
  if (r !== 0) {
    if (r < 0 !== y < 0) r += y;
  } else {
    r = y < 0 ? -0 : 0;
  }
  return r;
}

/** float64 arithmetic; `intMode` for integer-typed operands (only changes % by zero). */
export function arithF(fn: ArithOp, a: Float64Array, b: Float64Array, intMode: boolean, n: number): Float64Array {
  const out = new Float64Array(n);
  switch (fn) {
    case "+":
      for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      break;
    case "-":
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      break;
    case "*":
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      break;
    case "/":
      for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      break;
    case "%":
      for (let i = 0; i < n; i++) out[i] = floorMod(a[i]!, b[i]!, intMode);
      break;
  }
  return out;
}

export function negF(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = -a[i]!;
  return out;
}

/** High 32 bits of the 64-bit product of two uint32 values, from 16-bit pieces (every partial sum stays exact). */
function mulHighU32(x: number, y: number): number {
  const x0 = x & 0xffff;
  const x1 = x >>> 16;
  const y0 = y & 0xffff;
  const y1 = y >>> 16;
  const p01 = x0 * y1;
  const p10 = x1 * y0;
  const mid = ((x0 * y0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return x1 * y1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
}

/** int64 arithmetic with NumPy's wrap-around on overflow; % follows the divisor's sign, x % 0 = 0. */
export function arithI(fn: ArithOp, a: IVec, b: IVec, n: number): IVec {
  const buf = new BigInt64Array(n);
  const out = ivecOf(buf, n, false, false, bothValid(a.valid, b.valid, n));
  const { u: au, s: as } = a;
  const { u: bu, s: bs } = b;
  const { u: ou, s: os } = out;
  switch (fn) {
    case "+":
      for (let i = 0; i < n; i++) {
        const lo = au[2 * i]! + bu[2 * i]!;
        ou[2 * i] = lo;
        os[2 * i + 1] = as[2 * i + 1]! + bs[2 * i + 1]! + (lo >= TWO32 ? 1 : 0);
      }
      break;
    case "-":
      for (let i = 0; i < n; i++) {
        const lo = au[2 * i]! - bu[2 * i]!;
        ou[2 * i] = lo;
        os[2 * i + 1] = as[2 * i + 1]! - bs[2 * i + 1]! - (lo < 0 ? 1 : 0);
      }
      break;
    case "*":
      for (let i = 0; i < n; i++) {
        const al = au[2 * i]!;
        const bl = bu[2 * i]!;
        ou[2 * i] = Math.imul(al, bl);
        os[2 * i + 1] = mulHighU32(al, bl) + Math.imul(as[2 * i + 1]!, bl) + Math.imul(al, bs[2 * i + 1]!);
      }
      break;
    case "%": {
      // Rare enough to take the BigInt path; exact, including -2^63 % -1.
      const x = new BigInt64Array(au.buffer, au.byteOffset, n);
      const y = new BigInt64Array(bu.buffer, bu.byteOffset, n);
      for (let i = 0; i < n; i++) {
        const d = y[i]!;
        if (d === 0n) continue;
        let r = x[i]! % d;
        if (r !== 0n && r < 0n !== d < 0n) r += d;
        buf[i] = r;
      }
      break;
    }
    case "/":
      throw new Error("int64 division is computed in float64");
  }
  return out;
}

export function negI(a: IVec, n: number): IVec {
  return arithI("-", fillI(0n, n), a, n);
}

/** 64-bit integers to the nearest float64 (hi * 2^32 + lo rounds once, like Number(bigint)). */
export function toF(a: IVec, n: number): Float64Array {
  const out = new Float64Array(n);
  const ah = hiWords(a);
  for (let i = 0; i < n; i++) out[i] = ah[2 * i + 1]! * TWO32 + a.u[2 * i]!;
  return out;
}

/** Integer-valued float64 to int64 (wrapping modulo 2^64; non-finite values become 0). */
export function toI64(a: Float64Array, valid: Uint8Array | undefined, n: number): IVec {
  const out = ivecOf(new BigInt64Array(n), n, false, false, valid);
  for (let i = 0; i < n; i++) {
    const d = a[i]!;
    if (!Number.isFinite(d)) continue;
    const hi = Math.floor(d / TWO32);
    out.u[2 * i] = d - hi * TWO32;
    out.s[2 * i + 1] = hi;
  }
  return out;
}

// ---- three-valued logic ----

export function andTri(a: Uint8Array, b: Uint8Array, out: Uint8Array, n: number): Uint8Array {
  for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? a[i]! : b[i]!;
  return out;
}

export function orTri(a: Uint8Array, b: Uint8Array, out: Uint8Array, n: number): Uint8Array {
  for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? a[i]! : b[i]!;
  return out;
}

export function notTri(a: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 - a[i]!;
  return out;
}

/** == / != of two three-valued vectors (unknown when either side is). */
export function eqTri(a: Uint8Array, b: Uint8Array, negate: boolean, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const yes = negate ? 0 : 2;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    out[i] = x === 1 || y === 1 ? 1 : x === y ? yes : 2 - yes;
  }
  return out;
}

/** NaN (floats) or NaT (datetimes) tests; unknown on null rows. */
export function isNanTri(v: FVec | IVec, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (v.t === "f") {
    for (let i = 0; i < n; i++) out[i] = Number.isNaN(v.d[i]) ? 2 : 0;
  } else if (v.nat) {
    for (let i = 0; i < n; i++) out[i] = v.s[2 * i + 1] === NAT_HI && v.u[2 * i] === 0 ? 2 : 0;
  }
  if (v.valid !== undefined) for (let i = 0; i < n; i++) if (v.valid[i] === 0) out[i] = 1;
  return out;
}
