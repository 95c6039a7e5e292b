import { type ColumnTypedArray, typedArrayConstructor } from "@colz/format";
import type { ColumnValues } from "../types.js";
import type { ColumnType } from "./column-type.js";

// Row-level operations on in-memory column values: contiguous sub-ranges (views), gathers by
// index and concatenation. They are what slice/take/filter assemble their results from.

/** Elements of `data` per row (bytes per row for |S and <U). */
function width(v: ColumnValues & { kind: "fixed" }, type?: ColumnType): number {
  if (v.length > 0) return v.data.length / v.length;
  if (type === undefined) return 1;
  return v.dtype.kind === "S" || v.dtype.kind === "U" ? v.dtype.itemsize * type.atomItems : type.atomItems;
}

/** Offsets as numbers: row k is data[o[k], o[k+1]) (Arrow's convention; colz's own values start at 0). */
function absOffsets(v: ColumnValues & { kind: "utf8" | "binary" }): Float64Array {
  const o = v.offsets;
  const out = new Float64Array(o.length);
  for (let k = 0; k < o.length; k++) out[k] = Number(o[k]);
  return out;
}

function offsetsFrom(rel: ArrayLike<number>, n: number): Int32Array | BigInt64Array {
  const total = n === 0 ? 0 : rel[n]!;
  if (total < 2 ** 31) return Int32Array.from({ length: n + 1 }, (_, k) => rel[k]!);
  return BigInt64Array.from({ length: n + 1 }, (_, k) => BigInt(rel[k]!));
}

/**
 * Empty values of a column type.
 *
 * @example
 * emptyValues(type).length; // 0
 */
export function emptyValues(type: ColumnType): ColumnValues {
  const validity = type.nullable ? new Uint8Array(0) : undefined;
  if (type.kind === "fixed") {
    const Ctor = typedArrayConstructor(type.dtype);
    return { kind: "fixed", dtype: type.dtype, length: 0, data: new Ctor(0), ...(validity ? { validity } : {}) };
  }
  return {
    kind: type.kind,
    length: 0,
    offsets: new Int32Array(1),
    data: new Uint8Array(0),
    ...(validity ? { validity } : {}),
  };
}

/**
 * Rows [start, end) of `v`. Fixed data and byte data are views (no copy); varlen offsets are rebased to 0.
 *
 * @example
 * sliceValues(v, 10, 20).length; // 10
 */
export function sliceValues(v: ColumnValues, start: number, end: number): ColumnValues {
  if (start === 0 && end === v.length) return v;
  const validity = v.validity?.subarray(start, end);
  if (v.kind === "fixed") {
    const w = width(v);
    return {
      kind: "fixed",
      dtype: v.dtype,
      length: end - start,
      data: v.data.subarray(start * w, end * w),
      ...(validity ? { validity } : {}),
    };
  }
  const rel = absOffsets(v);
  const base = rel[start]!;
  const sub = new Float64Array(end - start + 1);
  for (let k = 0; k < sub.length; k++) sub[k] = rel[start + k]! - base;
  return {
    kind: v.kind,
    length: end - start,
    offsets: offsetsFrom(sub, end - start),
    data: v.data.subarray(base, rel[end]!),
    ...(validity ? { validity } : {}),
  };
}

/**
 * The rows of `v` at `indices` (0-based, any order, repeats allowed), copied into new arrays.
 *
 * @example
 * gatherValues(v, [3, 0, 3]).length; // 3
 */
export function gatherValues(v: ColumnValues, indices: ArrayLike<number>): ColumnValues {
  const n = indices.length;
  let validity: Uint8Array | undefined;
  if (v.validity !== undefined) {
    validity = new Uint8Array(n);
    for (let k = 0; k < n; k++) validity[k] = v.validity[indices[k]!]!;
  }
  if (v.kind === "fixed") {
    const w = width(v);
    const Ctor = v.data.constructor as new (n: number) => ColumnTypedArray;
    const out = new Ctor(n * w);
    if (w === 1) {
      const src = v.data as unknown as (number | bigint)[];
      const dst = out as unknown as (number | bigint)[];
      for (let k = 0; k < n; k++) dst[k] = src[indices[k]!]!;
    } else {
      for (let k = 0; k < n; k++) {
        const i = indices[k]!;
        out.set(v.data.subarray(i * w, (i + 1) * w) as never, k * w);
      }
    }
    return { kind: "fixed", dtype: v.dtype, length: n, data: out, ...(validity ? { validity } : {}) };
  }
  const rel = absOffsets(v);
  const ends = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) ends[k + 1] = ends[k]! + rel[indices[k]! + 1]! - rel[indices[k]!]!;
  const data = new Uint8Array(ends[n]!);
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    data.set(v.data.subarray(rel[i]!, rel[i + 1]!), ends[k]!);
  }
  return { kind: v.kind, length: n, offsets: offsetsFrom(ends, n), data, ...(validity ? { validity } : {}) };
}

/**
 * The rows of every part, in order, as one ColumnValues (the part itself when there is only one).
 * A validity is produced when any part has one (rows of parts without one are valid).
 *
 * @example
 * concatValues([a, b]).length === a.length + b.length;
 */
export function concatValues(parts: readonly ColumnValues[], type?: ColumnType): ColumnValues {
  if (parts.length === 0) {
    if (type === undefined) throw new Error("concatValues: no parts and no type");
    return emptyValues(type);
  }
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  const n = parts.reduce((s, p) => s + p.length, 0);
  let validity: Uint8Array | undefined;
  if (parts.some((p) => p.validity !== undefined)) {
    validity = new Uint8Array(n).fill(1);
    let at = 0;
    for (const p of parts) {
      if (p.validity !== undefined) validity.set(p.validity, at);
      at += p.length;
    }
  }
  if (first.kind === "fixed") {
    const fixed = parts as readonly (ColumnValues & { kind: "fixed" })[];
    const w = fixed.reduce((w0, p) => (p.length > 0 ? width(p) : w0), width(first, type));
    const Ctor = first.data.constructor as new (n: number) => ColumnTypedArray;
    const out = new Ctor(n * w);
    let at = 0;
    for (const p of fixed) {
      out.set(p.data as never, at * w);
      at += p.length;
    }
    return { kind: "fixed", dtype: first.dtype, length: n, data: out, ...(validity ? { validity } : {}) };
  }
  const varlen = parts as readonly (ColumnValues & { kind: "utf8" | "binary" })[];
  const rels = varlen.map(absOffsets);
  const total = rels.reduce((s, r, i) => s + r[varlen[i]!.length]! - r[0]!, 0);
  const data = new Uint8Array(total);
  const ends = new Float64Array(n + 1);
  let row = 0;
  let byte = 0;
  varlen.forEach((p, i) => {
    const r = rels[i]!;
    const len = r[p.length]! - r[0]!;
    data.set(p.data.subarray(r[0]!, r[p.length]!), byte);
    for (let k = 1; k <= p.length; k++) ends[row + k] = byte + r[k]! - r[0]!;
    row += p.length;
    byte += len;
  });
  return { kind: first.kind, length: n, offsets: offsetsFrom(ends, n), data, ...(validity ? { validity } : {}) };
}
