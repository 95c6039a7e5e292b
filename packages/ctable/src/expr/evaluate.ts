import { ColzError, type Dtype, toTypedArray } from "@colz/format";
import type { ColumnValues } from "../types.js";
import { type ColumnRef, flipCompare, type Node, typeOf } from "./ir.js";
import {
  andTri,
  applyNulls,
  arithF,
  arithI,
  type BVec,
  bothValid,
  cmpFBig,
  cmpFF,
  cmpIF,
  cmpII,
  cmpIScalar,
  compareTable,
  eqTri,
  type FVec,
  fillI,
  type IVec,
  isNanTri,
  ivecOf,
  negF,
  negI,
  notTri,
  orTri,
  toF,
  toI64,
} from "./kernels.js";
import { cmpStr, encodeLiteral, type SVec, svecOf } from "./strings.js";

// Evaluates a typed tree over one scan step, node by node, each node a loop over typed arrays.
// Results are memoised per node, so a column (or the left side of an `in` list) used several
// times is converted once.

type Vec = FVec | IVec | SVec | BVec;

interface Ctx {
  values: Record<string, ColumnValues>;
  n: number;
  memo: Map<Node, Vec>;
}

function badValues(name: string, why: string): ColzError {
  return new ColzError("ERR_BAD_ARGUMENT", `values of column ${JSON.stringify(name)}: ${why}`);
}

/** IEEE half-precision bits to a number (colz reads float16 columns as raw Uint16 bits). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function fixedData(name: string, cv: Extract<ColumnValues, { kind: "fixed" }>, dtype: Dtype, n: number) {
  let data = cv.data;
  // Accept raw bytes too (the layout layer's native form) and view them as the dtype's array.
  if (data instanceof Uint8Array && dtype.itemsize > 1 && dtype.kind !== "S" && dtype.kind !== "U") {
    data = toTypedArray(data, dtype);
  }
  if (data.length < n) throw badValues(name, `${data.length} elements for ${n} rows`);
  return data;
}

function loadColumn(ref: ColumnRef, node: Extract<Node, { op: "col" }>, ctx: Ctx): Vec {
  const { name, schema } = ref;
  const { n } = ctx;
  if (!Object.hasOwn(ctx.values, name)) throw badValues(name, "missing");
  const cv = ctx.values[name]!;
  if (cv.length !== n) throw badValues(name, `${cv.length} rows, expected ${n}`);
  const ty = node.ty;
  if (ty.k === "str") {
    if ((cv.kind === "fixed") !== (schema.kind === "fixed"))
      throw badValues(name, `kind ${cv.kind}, schema says ${schema.kind}`);
    return svecOf(name, cv, n);
  }
  if (cv.kind !== "fixed") throw badValues(name, `kind ${cv.kind}, schema says fixed`);
  const dtype = ref.dtype!;
  const data = fixedData(name, cv, dtype, n);
  const valid = cv.validity;
  if (ty.k === "bool") {
    const tri = new Uint8Array(n);
    for (let i = 0; i < n; i++) tri[i] = data[i] ? 2 : 0;
    if (valid !== undefined) for (let i = 0; i < n; i++) if (valid[i] === 0) tri[i] = 1;
    return { t: "b", tri };
  }
  if (ty.k === "time" || ty.n === "i64" || ty.n === "u64") {
    if (!(data instanceof BigInt64Array || data instanceof BigUint64Array))
      throw badValues(name, "expected 64-bit integers");
    return ivecOf(data, n, data instanceof BigUint64Array, ty.k === "time", valid);
  }
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) throw badValues(name, `unexpected 64-bit data`);
  if (data instanceof Float64Array) return { t: "f", d: data.subarray(0, n), valid };
  const d = new Float64Array(n);
  if (dtype.kind === "f" && dtype.itemsize === 2) for (let i = 0; i < n; i++) d[i] = halfToNumber(data[i]!);
  else d.set(data.subarray(0, n));
  return { t: "f", d, valid };
}

function evalNode(node: Node, ctx: Ctx): Vec {
  const known = ctx.memo.get(node);
  if (known !== undefined) return known;
  const v = compute(node, ctx);
  ctx.memo.set(node, v);
  return v;
}

function tri(node: Node, ctx: Ctx): Uint8Array {
  return (evalNode(node, ctx) as BVec).tri;
}

function compute(node: Node, ctx: Ctx): Vec {
  const { n } = ctx;
  switch (node.op) {
    case "const":
      return { t: "b", tri: new Uint8Array(n).fill(node.value ? 2 : 0) };
    case "col":
      return loadColumn(node.col, node, ctx);
    case "num":
      // A literal met by arithmetic: broadcast once per step.
      if (node.ty.k === "num" && node.ty.n === "i64") return fillI(node.int!, n);
      return { t: "f", d: new Float64Array(n).fill(node.value), valid: undefined };
    case "str":
      throw new Error("a string literal is only evaluated inside a comparison");
    case "arith": {
      const a = evalNode(node.a, ctx);
      const b = evalNode(node.b, ctx);
      if (a.t === "i" && b.t === "i") return arithI(node.fn, a, b, n);
      const fa = a as FVec;
      const fb = b as FVec;
      const intMode = node.ty.k === "num" && node.ty.n === "i";
      return { t: "f", d: arithF(node.fn, fa.d, fb.d, intMode, n), valid: bothValid(fa.valid, fb.valid, n) };
    }
    case "neg": {
      const a = evalNode(node.a, ctx);
      if (a.t === "i") return { ...negI(a, n), valid: a.valid };
      const f = a as FVec;
      return { t: "f", d: negF(f.d, n), valid: f.valid };
    }
    case "tof": {
      const a = evalNode(node.a, ctx) as IVec;
      return { t: "f", d: toF(a, n), valid: a.valid };
    }
    case "toi64": {
      const a = evalNode(node.a, ctx) as FVec;
      return toI64(a.d, a.valid, n);
    }
    case "cmp":
      return { t: "b", tri: compare(node, ctx) };
    case "and":
    case "or": {
      const combine = node.op === "and" ? andTri : orTri;
      const out = new Uint8Array(tri(node.args[0]!, ctx));
      for (let k = 1; k < node.args.length; k++) combine(out, tri(node.args[k]!, ctx), out, n);
      return { t: "b", tri: out };
    }
    case "not":
      return { t: "b", tri: notTri(tri(node.a, ctx), n) };
    case "isnull": {
      const a = evalNode(node.a, ctx);
      const yes = node.negate ? 0 : 2;
      const out = new Uint8Array(n).fill(2 - yes);
      if (a.t === "b") {
        for (let i = 0; i < n; i++) if (a.tri[i] === 1) out[i] = yes;
      } else if (a.valid !== undefined) {
        for (let i = 0; i < n; i++) if (a.valid[i] === 0) out[i] = yes;
      }
      return { t: "b", tri: out };
    }
    case "isnan":
      return { t: "b", tri: isNanTri(evalNode(node.a, ctx) as FVec | IVec, n) };
  }
}

const SAFE = 2 ** 53;

function compare(node: Extract<Node, { op: "cmp" }>, ctx: Ctx): Uint8Array {
  const { n } = ctx;
  const { fn, b } = node;
  const a = evalNode(node.a, ctx);
  if (a.t === "b") return eqTri(a.tri, tri(b, ctx), fn === "!=", n);
  const t = compareTable(fn, node.inexact);
  if (a.t === "s") {
    const eqOnly = fn === "==" || fn === "!=";
    if (b.op === "str")
      return applyNulls(cmpStr(a, encodeLiteral(b.value, a.wide), eqOnly, t, n), a.valid, undefined, n);
    const bs = evalNode(b, ctx) as SVec;
    return applyNulls(cmpStr(a, bs, eqOnly, t, n), a.valid, bs.valid, n);
  }
  if (b.op === "num") {
    let out: Uint8Array;
    if (a.t === "i") out = b.int !== undefined ? cmpIScalar(a, b.int, t, n) : cmpIF(a, b.value, t, n);
    else if (b.int !== undefined && (b.int > SAFE || b.int < -SAFE)) out = cmpFBig(a.d, b.int, t, n);
    else out = cmpFF(a.d, b.value, t, n);
    return applyNulls(out, a.valid, undefined, n);
  }
  const v = evalNode(b, ctx) as FVec | IVec;
  let out: Uint8Array;
  if (a.t === "f" && v.t === "i") out = cmpIF(v, a.d, compareTable(flipCompare(fn), false), n);
  else if (a.t === "f") out = cmpFF(a.d, (v as FVec).d, t, n);
  else out = v.t === "i" ? cmpII(a, v, t, n) : cmpIF(a, v.d, t, n);
  return applyNulls(out, a.valid, v.valid, n);
}

/**
 * Evaluates a compiled condition over `n` rows; returns one byte per row, 1 where the row is
 * selected (the condition is TRUE: false and unknown/null rows are 0).
 */
export function evaluateTree(root: Node, values: Record<string, ColumnValues>, n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new ColzError("ERR_BAD_ARGUMENT", `bad row count ${n}`);
  if (typeOf(root).k !== "bool") throw new Error("the root of a compiled expression is a condition");
  const result = tri(root, { values, n, memo: new Map() });
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = result[i]! >> 1; // 2 (true) → 1; unknown and false → 0
  return out;
}
