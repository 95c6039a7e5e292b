import {
  type ColumnTypedArray,
  type ColumnTypedArrayConstructor,
  ColzError,
  parseDtype,
  typedArrayConstructor,
} from "@colz/format";
import type { ColumnSchema, ColumnValues } from "../types.js";
import { offsetsAsNumbers } from "./strings.js";

// Building a Selection's columns: gathering the selected rows of one step, and concatenating
// steps. Fixed-width values are moved as 32/16/8-bit words, never as numbers, so every bit
// pattern (NaN payloads, -0, int64) survives, and no BigInt is created per row.

type Fixed = Extract<ColumnValues, { kind: "fixed" }>;
type Varlen = Extract<ColumnValues, { kind: "utf8" | "binary" }>;
type Words = Uint32Array | Uint16Array | Uint8Array;

function slotsPerRow(schema: ColumnSchema, cv: Fixed): number {
  // Typed-array slots per element: 1 normally, itemsize for byte-wise |S/<U (or raw-byte) data.
  const items = schema.atomShape.reduce((p, d) => p * d, 1);
  return items * Math.max(1, cv.dtype.itemsize / cv.data.BYTES_PER_ELEMENT);
}

function wordView(data: ArrayBufferView, bytesPerRow: number, bytes: number): Words {
  const { buffer, byteOffset } = data;
  if (bytesPerRow % 4 === 0 && byteOffset % 4 === 0) return new Uint32Array(buffer, byteOffset, bytes / 4);
  if (bytesPerRow % 2 === 0 && byteOffset % 2 === 0) return new Uint16Array(buffer, byteOffset, bytes / 2);
  return new Uint8Array(buffer, byteOffset, bytes);
}

function gatherValidity(validity: Uint8Array | undefined, rows: ArrayLike<number>, m: number): Uint8Array | undefined {
  if (validity === undefined) return undefined;
  const out = new Uint8Array(m);
  for (let j = 0; j < m; j++) out[j] = validity[rows[j]!]!;
  return out;
}

function gatherFixed(name: string, schema: ColumnSchema, cv: Fixed, rows: ArrayLike<number>, m: number): Fixed {
  const Ctor = cv.data.constructor as ColumnTypedArrayConstructor;
  const slots = slotsPerRow(schema, cv);
  const bytesPerRow = slots * cv.data.BYTES_PER_ELEMENT;
  if (cv.data.length < cv.length * slots) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `values of column ${JSON.stringify(name)}: too few elements for ${cv.length} rows`,
    );
  }
  const src = wordView(cv.data, bytesPerRow, cv.length * bytesPerRow);
  const buffer = new ArrayBuffer(m * bytesPerRow);
  const out = wordView(new Uint8Array(buffer), bytesPerRow, buffer.byteLength);
  const w = bytesPerRow / out.BYTES_PER_ELEMENT;
  if (w === 1) {
    for (let j = 0; j < m; j++) out[j] = src[rows[j]!]!;
  } else {
    for (let j = 0; j < m; j++) {
      const from = rows[j]! * w;
      const to = j * w;
      for (let k = 0; k < w; k++) out[to + k] = src[from + k]!;
    }
  }
  const validity = gatherValidity(cv.validity, rows, m);
  const data = new Ctor(buffer) as ColumnTypedArray;
  return { kind: "fixed", dtype: cv.dtype, length: m, data, ...(validity === undefined ? {} : { validity }) };
}

function offsetArray(total: number, m: number): Int32Array | BigInt64Array {
  return total < 2 ** 31 ? new Int32Array(m + 1) : new BigInt64Array(m + 1);
}

function setOffset(offsets: Int32Array | BigInt64Array, i: number, v: number): void {
  if (offsets instanceof Int32Array) offsets[i] = v;
  else offsets[i] = BigInt(v);
}

function gatherVarlen(cv: Varlen, rows: ArrayLike<number>, m: number): Varlen {
  const offs = offsetsAsNumbers(cv.offsets, cv.length);
  let total = 0;
  for (let j = 0; j < m; j++) total += offs[rows[j]! + 1]! - offs[rows[j]!]!;
  const data = new Uint8Array(total);
  const offsets = offsetArray(total, m);
  let at = 0;
  for (let j = 0; j < m; j++) {
    const s = offs[rows[j]!]!;
    const e = offs[rows[j]! + 1]!;
    // A plain loop: subarray() would allocate a view per row.
    for (let k = s; k < e; k++) data[at++] = cv.data[k]!;
    setOffset(offsets, j + 1, at);
  }
  const validity = gatherValidity(cv.validity, rows, m);
  return { kind: cv.kind, length: m, offsets, data, ...(validity === undefined ? {} : { validity }) };
}

/** The values of rows `rows[0..m)` (positions within `cv`) of one column. */
export function gatherValues(schema: ColumnSchema, cv: ColumnValues, rows: ArrayLike<number>, m: number): ColumnValues {
  return cv.kind === "fixed" ? gatherFixed(schema.name, schema, cv, rows, m) : gatherVarlen(cv, rows, m);
}

/** Zero rows of a column, typed from its schema. */
export function emptyValues(schema: ColumnSchema): ColumnValues {
  if (schema.kind !== "fixed")
    return { kind: schema.kind, length: 0, offsets: new Int32Array(1), data: new Uint8Array(0) };
  const dtype = parseDtype(schema.dtype);
  const Ctor = typedArrayConstructor(dtype);
  return { kind: "fixed", dtype, length: 0, data: new Ctor(0) };
}

function concatValidity(parts: readonly ColumnValues[], total: number): Uint8Array | undefined {
  if (parts.every((p) => p.validity === undefined)) return undefined;
  const out = new Uint8Array(total).fill(1);
  let at = 0;
  for (const p of parts) {
    if (p.validity !== undefined) out.set(p.validity.subarray(0, p.length), at);
    at += p.length;
  }
  return out;
}

/** Concatenates the per-step values of one column (as gathered by gatherValues). */
export function concatValues(schema: ColumnSchema, parts: readonly ColumnValues[]): ColumnValues {
  if (parts.length === 0) return emptyValues(schema);
  if (parts.length === 1) return parts[0]!;
  const length = parts.reduce((s, p) => s + p.length, 0);
  const validity = concatValidity(parts, length);
  const extra = validity === undefined ? {} : { validity };
  const first = parts[0]!;
  if (first.kind === "fixed") {
    const fixed = parts as readonly Fixed[];
    const Ctor = first.data.constructor as ColumnTypedArrayConstructor;
    const data = new Ctor(fixed.reduce((s, p) => s + p.data.length, 0)) as ColumnTypedArray;
    let at = 0;
    for (const p of fixed) {
      (data as Uint8Array).set(p.data as Uint8Array, at);
      at += p.data.length;
    }
    return { kind: "fixed", dtype: first.dtype, length, data, ...extra };
  }
  const varlen = parts as readonly Varlen[];
  const total = varlen.reduce((s, p) => s + p.data.length, 0);
  const data = new Uint8Array(total);
  const offsets = offsetArray(total, length);
  let row = 0;
  let base = 0;
  for (const p of varlen) {
    data.set(p.data, base);
    const offs = offsetsAsNumbers(p.offsets, p.length);
    for (let i = 1; i <= p.length; i++) setOffset(offsets, row + i, base + offs[i]!);
    row += p.length;
    base += p.data.length;
  }
  return { kind: first.kind, length, offsets, data, ...extra };
}
