import {
  type ColumnTypedArray,
  type Dtype,
  encodeFixedBytes,
  encodeUcs4,
  HOST_LITTLE_ENDIAN,
  isColzError,
  typedArrayConstructor,
} from "@colz/format";
import { badArgument } from "../errors.js";
import type { ColumnInput, ColumnValues, JsValue } from "../types.js";
import type { ColumnType } from "./column-type.js";
import { isColumnValues, materialize } from "./column-type.js";
import { scalarConverter } from "./scalars.js";
import { toJsArray } from "./to-js.js";

// ColumnInput → ColumnValues of exactly one column type. Typed arrays of the column's own
// element type and ColumnValues of its own dtype pass through without a copy; everything else is
// converted value by value with range checks. Nulls become a validity mask (nullable columns only).

const encoder = new TextEncoder();
const NATIVE: "<" | ">" = HOST_LITTLE_ENDIAN ? "<" : ">";

/**
 * Converts `input` into the in-memory form of a column of type `type`. `what` names the column in
 * errors (ERR_BAD_ARGUMENT: wrong type, out of range, null in a non-nullable column, too long for |S/<U).
 *
 * @example
 * toColumnValues([1, null, 3], resolveSpec({ dtype: "int32", nullable: true }, "x"), 'column "x"');
 * // { kind: "fixed", length: 3, data: Int32Array [1, 0, 3], validity: Uint8Array [1, 0, 1] }
 */
export function toColumnValues(raw: ColumnInput | Iterable<JsValue>, type: ColumnType, what: string): ColumnValues {
  const input = materialize(raw);
  if (type.kind === "fixed") return toFixed(input, type, what);
  return toVarlen(input, type, what);
}

function checkValidity(validity: Uint8Array | undefined, length: number, type: ColumnType, what: string) {
  if (validity === undefined) return undefined;
  if (validity.length !== length)
    throw badArgument(`${what}: validity has ${validity.length} entries for ${length} rows`);
  const firstNull = validity.indexOf(0);
  if (firstNull >= 0 && !type.nullable) {
    throw badArgument(`${what} row ${firstNull}: null in a column that is not nullable`);
  }
  return type.nullable ? validity : undefined;
}

function rowBytes(dtype: Dtype, atomItems: number): number {
  return dtype.kind === "S" || dtype.kind === "U" ? dtype.itemsize * atomItems : atomItems;
}

function toFixed(input: ColumnInput, type: ColumnType, what: string): ColumnValues {
  const { dtype } = type;
  const width = rowBytes(dtype, type.atomItems);
  if (isColumnValues(input)) {
    if (input.kind === "fixed" && input.dtype.str === dtype.str) {
      if (input.data.length !== input.length * width) {
        throw badArgument(`${what}: ${input.data.length} elements do not make ${input.length} rows of ${width}`);
      }
      const validity = checkValidity(input.validity, input.length, type, what);
      return { kind: "fixed", dtype, length: input.length, data: input.data, ...(validity ? { validity } : {}) };
    }
    const numeric = input.kind === "fixed" && !"SU".includes(input.dtype.kind) && !"SU".includes(dtype.kind);
    if (numeric && type.atomItems === input.data.length / Math.max(1, input.length)) {
      const validity = checkValidity(input.validity, input.length, type, what);
      return fromElements(input.data as ArrayLike<number | bigint>, input.length, type, what, validity);
    }
    return toFixed(toJsArray(input, { dates: dtype.kind === "M" }) as ColumnInput, type, what);
  }
  if (ArrayBuffer.isView(input)) {
    const data = input as ColumnTypedArray;
    if (dtype.kind === "S" || dtype.kind === "U") {
      if (!(data instanceof Uint8Array) || data.length % width !== 0) {
        throw badArgument(`${what}: raw ${dtype.str} data must be a Uint8Array of whole ${width}-byte rows`);
      }
      return { kind: "fixed", dtype, length: data.length / width, data };
    }
    if (data.length % type.atomItems !== 0) {
      throw badArgument(`${what}: ${data.length} elements are not whole rows of ${type.atomItems}`);
    }
    const length = data.length / type.atomItems;
    if (dtype.kind === "b" && data instanceof Uint8Array) {
      // bool is stored as bytes 0/1: normalise anything else instead of storing it verbatim.
      const ok = data.every((b) => b <= 1);
      return { kind: "fixed", dtype, length, data: ok ? data : data.map((b) => (b === 0 ? 0 : 1)) };
    }
    if (dtype.kind !== "b" && data.constructor === typedArrayConstructor(dtype)) {
      return { kind: "fixed", dtype, length, data };
    }
    return fromElements(data as ArrayLike<number | bigint>, length, type, what, undefined);
  }
  if (!Array.isArray(input)) throw badArgument(`${what}: expected an array, a typed array or ColumnValues`);
  const values = input as readonly unknown[];
  const validity = nullMask(values, type, what);
  if (type.atomItems !== 1) return fromRows(values, type, what, validity);
  if (dtype.kind === "S" || dtype.kind === "U") {
    const items = values.map((v, i) => stringItem(v, i, dtype, what));
    try {
      const data =
        dtype.kind === "S"
          ? encodeFixedBytes(items as (string | Uint8Array)[], dtype.itemsize)
          : encodeUcs4(items as string[], dtype.itemsize, NATIVE);
      return { kind: "fixed", dtype, length: values.length, data, ...(validity ? { validity } : {}) };
    } catch (e) {
      if (isColzError(e)) throw badArgument(`${what}: ${e.message}`);
      throw e;
    }
  }
  return fromElements(values, values.length, type, what, validity);
}

function stringItem(v: unknown, row: number, dtype: Dtype, what: string): string | Uint8Array {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (dtype.kind === "S" && v instanceof Uint8Array) return v;
  throw badArgument(`${what} row ${row}: a ${typeof v} cannot be stored as ${dtype.str}`);
}

/** The validity of JS values (undefined when there is no null); nulls in a non-nullable column throw. */
function nullMask(values: readonly unknown[], type: ColumnType, what: string): Uint8Array | undefined {
  let validity: Uint8Array | undefined;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null && values[i] !== undefined) continue;
    if (!type.nullable) throw badArgument(`${what} row ${i}: null or missing value in a column that is not nullable`);
    validity ??= new Uint8Array(values.length).fill(1);
    validity[i] = 0;
  }
  return validity;
}

/** N-D rows given one by one (each an array or typed array of prod(atomShape) numbers). */
function fromRows(
  values: readonly unknown[],
  type: ColumnType,
  what: string,
  validity: Uint8Array | undefined,
): ColumnValues {
  const w = type.atomItems;
  if (type.dtype.kind === "S" || type.dtype.kind === "U") {
    throw badArgument(`${what}: N-D ${type.dtype.str} rows must be given as raw bytes (a Uint8Array)`);
  }
  const flat: unknown[] = new Array(values.length * w).fill(null);
  values.forEach((row, r) => {
    if (row === null || row === undefined) return;
    const items = row as ArrayLike<unknown>;
    if (typeof items !== "object" || items.length !== w) {
      throw badArgument(`${what} row ${r}: expected ${w} values (atom shape [${type.atomShape}])`);
    }
    for (let k = 0; k < w; k++) flat[r * w + k] = items[k];
  });
  return fromElements(flat, values.length, type, what, validity);
}

/** Element-wise conversion into a fresh typed array; rows marked null hold zero. */
function fromElements(
  src: ArrayLike<unknown>,
  length: number,
  type: ColumnType,
  what: string,
  validity: Uint8Array | undefined,
): ColumnValues {
  const { dtype } = type;
  const Ctor = typedArrayConstructor(dtype);
  const out = new Ctor(src.length) as ColumnTypedArray;
  const conv = scalarConverter(dtype, what);
  const zero = out instanceof BigInt64Array || out instanceof BigUint64Array ? 0n : 0;
  const w = type.atomItems;
  for (let i = 0; i < src.length; i++) {
    const row = Math.floor(i / w);
    const v = src[i];
    (out as unknown as (number | bigint)[])[i] =
      validity !== undefined && validity[row] === 0 ? zero : conv(v === undefined ? null : v, row);
  }
  return { kind: "fixed", dtype, length, data: out, ...(validity ? { validity } : {}) };
}

function toVarlen(input: ColumnInput, type: ColumnType, what: string): ColumnValues {
  const kind = type.kind as "utf8" | "binary";
  if (isColumnValues(input)) {
    if (input.kind === kind) {
      if (input.offsets.length !== input.length + 1) {
        throw badArgument(`${what}: offsets must have length + 1 = ${input.length + 1} entries`);
      }
      const validity = checkValidity(input.validity, input.length, type, what);
      const { offsets, data, length } = input;
      return { kind, length, offsets, data, ...(validity ? { validity } : {}) };
    }
    return toVarlen(toJsArray(input) as ColumnInput, type, what);
  }
  if (!Array.isArray(input))
    throw badArgument(`${what}: a ${kind} column takes an array of ${kind === "utf8" ? "strings" : "Uint8Arrays"}`);
  const values = input as readonly unknown[];
  const validity = nullMask(values, type, what);
  const parts: Uint8Array[] = new Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let bytes: Uint8Array;
    if (v === null || v === undefined) bytes = new Uint8Array(0);
    else if (kind === "utf8" && typeof v === "string") bytes = encoder.encode(v);
    else if (kind === "binary" && v instanceof Uint8Array) bytes = v;
    else
      throw badArgument(
        `${what} row ${i}: a ${kind} column takes ${kind === "utf8" ? "strings" : "Uint8Arrays"}, got ${typeof v}`,
      );
    parts[i] = bytes;
    total += bytes.length;
  }
  const data = new Uint8Array(total);
  const offsets = total < 2 ** 31 ? new Int32Array(values.length + 1) : new BigInt64Array(values.length + 1);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    data.set(parts[i]!, at);
    at += parts[i]!.length;
    if (offsets instanceof Int32Array) offsets[i + 1] = at;
    else offsets[i + 1] = BigInt(at);
  }
  return { kind, length: values.length, offsets, data, ...(validity ? { validity } : {}) };
}
