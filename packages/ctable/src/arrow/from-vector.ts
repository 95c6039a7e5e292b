import { ColzError, type Dtype, parseDtype } from "@colz/format";
import { type Data, DateUnit, Precision, Type, type Vector } from "apache-arrow";
import type { ColumnSchema, ColumnValues } from "../types.js";
import { viewKind } from "./arrow-compat.js";
import { unpackBits } from "./bitmap.js";
import { halfToFloat32 } from "./half-float.js";
import { normalizeVarlen, offsetAt, utf8ToUcs4, type Varlen, viewsToVarlen } from "./varlen.js";

// apache-arrow Data -> colz ColumnValues. Arrow's value buffers are used as they are (sliced
// to the rows, never copied) wherever colz's in-memory layout is the same; bit-packed bools
// and validity, Date32, Float16, views and dictionaries are converted.
//
// apache-arrow's slicing convention: value and offset buffers are already cut at the slice's
// first row, while bitmaps (validity, bool values) keep their bytes and `data.offset` says at
// which bit the rows start.

/** Loose view of a Data's buffers: the fields exist on every Data, their types vary by type. */
interface Buffers {
  values: ArrayBufferView & ArrayLike<number | bigint> & { subarray(a: number, b?: number): ArrayBufferView };
  valueOffsets: Int32Array | BigInt64Array;
  nullBitmap: Uint8Array | undefined;
  variadicBuffers?: readonly Uint8Array[];
  dictionary?: Vector;
}

function buffersOf(data: Data): Buffers {
  return data as unknown as Buffers;
}

/** One byte per row (1 valid, 0 null), or undefined when the Data has no nulls. */
export function validityOf(data: Data): Uint8Array | undefined {
  const bitmap = buffersOf(data).nullBitmap;
  if (data.nullCount <= 0 || bitmap === undefined || bitmap.length === 0) return undefined;
  return unpackBits(bitmap, data.offset, data.length);
}

/**
 * colz values of one Arrow Data (a record batch column) for `column` (from `columnOfArrowField`).
 *
 * @example
 * const values = valuesOfData(batch.data.children[0], column);
 */
export function valuesOfData(data: Data, column: ColumnSchema): ColumnValues {
  const length = data.length;
  let validity = validityOf(data);
  if (column.kind !== "fixed") {
    const decoded = varlenOfData(data, validity);
    validity = decoded.validity;
    const v = normalizeVarlen(decoded, length, validity);
    return withValidity({ kind: column.kind, length, offsets: v.offsets, data: v.data }, validity);
  }
  const dtype = parseDtype(column.dtype);
  if (column.atomShape.length > 0) {
    const child = data.children[0];
    if (data.type.typeId !== Type.FixedSizeList || child === undefined) throw mismatch(data, column);
    const inner: ColumnSchema = { ...column, nullable: false, atomShape: column.atomShape.slice(1) };
    const perRow = column.atomShape.reduce((a, b) => a * b, 1);
    const listSize = column.atomShape[0]!;
    const values = valuesOfData(child, inner);
    if (values.kind !== "fixed" || values.length < length * listSize) throw mismatch(data, column);
    // Nulls inside a list have no colz equivalent, except under a null row (pyarrow writes
    // those), where the row's fill value covers them.
    for (let k = 0; values.validity !== undefined && k < length * listSize; k++) {
      if (values.validity[k] === 0 && validity?.[Math.floor(k / listSize)] !== 0) {
        throw new ColzError(
          "ERR_UNSUPPORTED",
          `column ${JSON.stringify(column.name)}: colz atoms cannot hold nulls inside a list`,
        );
      }
    }
    const flat = values.data.subarray(0, length * perRow * slotsPerElement(dtype));
    return withValidity(
      { kind: "fixed", dtype, length, data: zeroNullRows(flat, validity, perRow * slotsPerElement(dtype)) },
      validity,
    );
  }
  if (dtype.kind === "U") {
    const decoded = varlenOfData(data, validity);
    validity = decoded.validity;
    const v = normalizeVarlen(decoded, length, validity);
    return withValidity({ kind: "fixed", dtype, length, data: utf8ToUcs4(v, dtype.itemsize / 4, length) }, validity);
  }
  return withValidity({ kind: "fixed", dtype, length, data: fixedValues(data, dtype, column, validity) }, validity);
}

function withValidity<T extends ColumnValues>(values: T, validity: Uint8Array | undefined): T {
  return validity === undefined ? values : { ...values, validity };
}

function mismatch(data: Data, column: ColumnSchema): ColzError {
  return new ColzError(
    "ERR_BAD_ARGUMENT",
    `Arrow ${String(data.type)} does not match column ${JSON.stringify(column.name)} (${column.dtype})`,
  );
}

/** Typed-array slots per element: S and U keep raw bytes, everything else one slot. */
function slotsPerElement(dtype: Dtype): number {
  return dtype.kind === "S" || dtype.kind === "U" ? dtype.itemsize : 1;
}

function fixedValues(data: Data, dtype: Dtype, column: ColumnSchema, validity?: Uint8Array): ColumnValues["data"] {
  const { values } = buffersOf(data);
  const length = data.length;
  const type = data.type as unknown as { precision?: Precision; unit?: DateUnit; byteWidth?: number };
  switch (data.type.typeId) {
    case Type.Bool: {
      const bytes = unpackBits(values as Uint8Array, data.offset, length);
      return zeroNullRows(bytes, validity, 1, true);
    }
    case Type.Float:
      if (type.precision === Precision.HALF && dtype.kind === "f" && dtype.itemsize === 4) {
        return zeroNullRows(halfToFloat32((values as Uint16Array).subarray(0, length)), validity, 1, true);
      }
      break;
    case Type.Date:
      if (type.unit === DateUnit.DAY) {
        const days = values as Int32Array;
        const out = new BigInt64Array(length);
        for (let i = 0; i < length; i++) out[i] = BigInt(days[i]!);
        return zeroNullRows(out, validity, 1, true);
      }
      break;
    case Type.FixedSizeBinary:
      if (type.byteWidth !== dtype.itemsize) throw mismatch(data, column);
      return zeroNullRows((values as Uint8Array).subarray(0, length * dtype.itemsize), validity, dtype.itemsize);
  }
  const slice = values.subarray(0, length) as ColumnValues["data"];
  if (slice.BYTES_PER_ELEMENT !== dtype.itemsize && dtype.kind !== "b") throw mismatch(data, column);
  return zeroNullRows(slice, validity, 1);
}

/**
 * colz keeps the fill value (zero) in null rows. Arrow leaves them undefined, so rows that
 * are null and non-zero are zeroed: in place when the array is ours, in a copy otherwise.
 */
function zeroNullRows<T extends ColumnValues["data"]>(
  data: T,
  validity: Uint8Array | undefined,
  width: number,
  owned = false,
): T {
  if (validity === undefined) return data;
  let out = data;
  const zero = (typeof data[0] === "bigint" ? 0n : 0) as never;
  for (let i = 0; i < validity.length; i++) {
    if (validity[i] !== 0) continue;
    for (let k = i * width; k < (i + 1) * width; k++) {
      const x = out[k];
      if (x === zero && !Object.is(x, -0)) continue; // -0 and NaN are not the fill value either
      if (out === data && !owned) out = data.slice() as T;
      out[k] = zero;
    }
  }
  return out;
}

// Dictionaries shared by several batches are flattened once.
const flatDictionaries = new WeakMap<Vector, { values: Varlen; validity?: Uint8Array }>();

function flatDictionary(dictionary: Vector): { values: Varlen; validity?: Uint8Array } {
  const cached = flatDictionaries.get(dictionary);
  if (cached !== undefined) return cached;
  const parts = dictionary.data.map((d) => {
    const validity = validityOf(d);
    return { v: normalizeVarlen(varlenOfData(d, validity), d.length, undefined), validity, length: d.length };
  });
  let total = 0;
  let rows = 0;
  for (const p of parts) {
    total += offsetAt(p.v.offsets, p.length);
    rows += p.length;
  }
  const offsets = total > 0x7fffffff ? new BigInt64Array(rows + 1) : new Int32Array(rows + 1);
  const bytes = new Uint8Array(total);
  const validity = parts.some((p) => p.validity !== undefined) ? new Uint8Array(rows).fill(1) : undefined;
  let row = 0;
  let at = 0;
  for (const p of parts) {
    bytes.set(p.v.data.subarray(0, offsetAt(p.v.offsets, p.length)), at);
    for (let i = 0; i < p.length; i++) {
      offsets[row + i + 1] = (
        typeof offsets[0] === "bigint" ? BigInt(at + offsetAt(p.v.offsets, i + 1)) : at + offsetAt(p.v.offsets, i + 1)
      ) as never;
      if (validity !== undefined && p.validity !== undefined) validity[row + i] = p.validity[i]!;
    }
    at += offsetAt(p.v.offsets, p.length);
    row += p.length;
  }
  const flat =
    validity === undefined ? { values: { offsets, data: bytes } } : { values: { offsets, data: bytes }, validity };
  flatDictionaries.set(dictionary, flat);
  return flat;
}

/**
 * Offsets + bytes of a Utf8/Binary-family Data (Large, View and Dictionary forms included),
 * and the rows' validity (a dictionary entry that is null makes its rows null).
 */
export function varlenOfData(data: Data, validity: Uint8Array | undefined): Varlen & { validity?: Uint8Array } {
  const b = buffersOf(data);
  const length = data.length;
  if (viewKind(data.type) !== undefined) {
    return { ...viewsToVarlen(b.values as Uint8Array, b.variadicBuffers ?? [], length), validity };
  }
  switch (data.type.typeId) {
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary:
      return { offsets: b.valueOffsets, data: b.values as Uint8Array, validity };
    case Type.Dictionary:
      return gather(b.values, flatDictionary(b.dictionary!), length, validity);
  }
  throw new ColzError("ERR_BAD_ARGUMENT", `Arrow ${String(data.type)} is not a string or binary type`);
}

function gather(
  indices: ArrayLike<number | bigint>,
  dict: { values: Varlen; validity?: Uint8Array },
  length: number,
  validity: Uint8Array | undefined,
): Varlen & { validity?: Uint8Array } {
  const { offsets: dOff, data: dBytes } = dict.values;
  const rows = dOff.length - 1;
  let valid = validity;
  let total = 0;
  for (let i = 0; i < length; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const k = Number(indices[i]!);
    if (!(k >= 0 && k < rows))
      throw new ColzError("ERR_CORRUPT_CHUNK", `dictionary index ${k} at row ${i} is out of range`);
    if (dict.validity !== undefined && dict.validity[k] === 0) {
      const own: Uint8Array =
        valid === validity || valid === undefined ? (validity?.slice() ?? new Uint8Array(length).fill(1)) : valid;
      own[i] = 0;
      valid = own;
      continue;
    }
    total += offsetAt(dOff, k + 1) - offsetAt(dOff, k);
  }
  const offsets = total > 0x7fffffff ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
  const big = offsets instanceof BigInt64Array;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < length; i++) {
    if (valid === undefined || valid[i] !== 0) {
      const k = Number(indices[i]!);
      const s = offsetAt(dOff, k);
      const e = offsetAt(dOff, k + 1);
      bytes.set(dBytes.subarray(s, e), at);
      at += e - s;
    }
    offsets[i + 1] = (big ? BigInt(at) : at) as never;
  }
  return valid === undefined ? { offsets, data: bytes } : { offsets, data: bytes, validity: valid };
}
