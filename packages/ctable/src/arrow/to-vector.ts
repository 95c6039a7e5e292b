import { ColzError } from "@colz/format";
import { type Data, type DataType, type FixedSizeList, makeData, Type } from "apache-arrow";
import type { ColumnSchema, ColumnValues } from "../types.js";
import { viewKind } from "./arrow-compat.js";
import { packBits } from "./bitmap.js";
import type { DictionaryEncoder } from "./dictionary-encoder.js";
import { float32ToHalf } from "./half-float.js";
import { int32Offsets, int64Offsets, normalizeVarlen, ucs4ToUtf8, type Varlen, varlenToViews } from "./varlen.js";

// colz ColumnValues -> apache-arrow Data. Where colz's typed array already is Arrow's value
// buffer (every int and float, timestamps, durations, Date64, FixedSizeBinary, int32/int64
// offsets and their bytes) it is handed to makeData as is: the chunks a read decompressed are
// the Arrow buffers. Only bit-packing (bool, validity), Date32's narrowing, views and
// dictionaries build new buffers.

// makeData's overloads are keyed on the static type; here the type is only known at run time,
// so props go through this one loose signature.
// biome-ignore lint/suspicious/noExplicitAny: apache-arrow's makeData overloads cannot be selected from a runtime DataType
const make = makeData as (props: any) => Data;

/** Per-column state across batches (dictionary encoders), created by the caller. */
export interface ToVectorState {
  dictionary?: DictionaryEncoder;
}

function validityBits(values: ColumnValues): { nullBitmap?: Uint8Array; nullCount: number } {
  if (values.validity === undefined) return { nullCount: 0 };
  const { bits, zeros } = packBits(values.validity, values.length);
  return zeros === 0 ? { nullCount: 0 } : { nullBitmap: bits, nullCount: zeros };
}

/**
 * The Arrow Data of one column's values over a row range, as `type` (from `arrowFieldOf`).
 *
 * @example
 * const data = dataOfValues(await table.readColumn("price", 0, 1000), column, field.type);
 */
export function dataOfValues(
  values: ColumnValues,
  column: ColumnSchema,
  type: DataType,
  state: ToVectorState = {},
): Data {
  const { nullBitmap, nullCount } = validityBits(values);
  const length = values.length;
  if (values.kind !== "fixed") {
    const v = normalizeVarlen(values, length, values.validity);
    if (type.typeId === Type.Dictionary) {
      if (state.dictionary === undefined)
        throw new ColzError("ERR_BAD_ARGUMENT", "a dictionary column needs an encoder");
      const { indices, dictionary } = state.dictionary.encode(v, length, values.validity);
      return make({ type, length, nullCount, nullBitmap, data: indices, dictionary });
    }
    return varlenData(type, v, length, nullBitmap, nullCount);
  }
  if (type.typeId === Type.FixedSizeList) {
    const listSize = (type as FixedSizeList).listSize;
    const child = (type as FixedSizeList).children[0]!;
    const childColumn: ColumnSchema = { ...column, nullable: false, atomShape: column.atomShape.slice(1) };
    const childValues: ColumnValues = {
      kind: "fixed",
      dtype: values.dtype,
      length: length * listSize,
      data: values.data,
    };
    const childData = dataOfValues(childValues, childColumn, child.type, state);
    return make({ type, length, nullCount, nullBitmap, child: childData });
  }
  return make({ type, length, nullCount, nullBitmap, data: fixedBuffer(values, type) });
}

/** The value buffer of a fixed-width column for `type`: colz's own array whenever it fits. */
function fixedBuffer(values: Extract<ColumnValues, { kind: "fixed" }>, type: DataType): ArrayBufferView {
  const { data, length } = values;
  const dtype = values.dtype;
  switch (type.typeId) {
    case Type.Bool:
      return packBits(data as Uint8Array, length).bits;
    case Type.Float:
      // Float16 from a widened float32 column (colz float16 columns already hold the bits).
      if (type.ArrayType === Uint16Array && data instanceof Float32Array)
        return float32ToHalf(data.subarray(0, length));
      break;
    case Type.Date:
      if (type.ArrayType === Int32Array && data instanceof BigInt64Array) return daysToInt32(data, length);
      break;
    case Type.FixedSizeBinary:
      return (data as Uint8Array).subarray(0, length * dtype.itemsize);
  }
  const Ctor = type.ArrayType as {
    new (b: ArrayBufferLike, o: number, n: number): ArrayBufferView;
    BYTES_PER_ELEMENT: number;
  };
  if (data instanceof (Ctor as unknown as typeof Uint8Array)) return (data as Uint8Array).subarray(0, length);
  // Same-width reinterpretation (e.g. a uint8 bool view); anything else is a mapping bug.
  if (data.BYTES_PER_ELEMENT === Ctor.BYTES_PER_ELEMENT) return new Ctor(data.buffer, data.byteOffset, length);
  throw new ColzError("ERR_BAD_ARGUMENT", `cannot present ${dtype.str} values as Arrow ${String(type)}`);
}

function daysToInt32(days: BigInt64Array, length: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const d = days[i]!;
    // NaT (-2^63) and days beyond Date32's range cannot be represented.
    if (d < -2147483648n || d > 2147483647n) {
      const what = d === -(2n ** 63n) ? "NaT" : `day ${d}`;
      throw new ColzError("ERR_TOO_LARGE", `${what} at row ${i} has no Arrow Date32 value (store it as null instead)`);
    }
    out[i] = Number(d);
  }
  return out;
}

/**
 * Arrow Data of a varlen type (Utf8, LargeUtf8, Utf8View and the Binary family) from offsets +
 * bytes that follow colz's rules (offsets[0] = 0).
 */
export function varlenData(type: DataType, v: Varlen, length: number, nullBitmap?: Uint8Array, nullCount = 0): Data {
  if (viewKind(type) !== undefined) {
    const { views, buffers } = varlenToViews(v, length);
    return make({ type, length, nullCount, nullBitmap, views, variadicBuffers: buffers });
  }
  switch (type.typeId) {
    case Type.Utf8:
    case Type.Binary:
      return make({ type, length, nullCount, nullBitmap, valueOffsets: int32Offsets(v.offsets, length), data: v.data });
    case Type.LargeUtf8:
    case Type.LargeBinary:
      return make({ type, length, nullCount, nullBitmap, valueOffsets: int64Offsets(v.offsets, length), data: v.data });
  }
  throw new ColzError("ERR_BAD_ARGUMENT", `cannot present variable-length values as Arrow ${String(type)}`);
}

/** Values of a fixed <U n> column as Utf8 Data (UCS-4 -> UTF-8). */
export function ucs4Data(values: Extract<ColumnValues, { kind: "fixed" }>, type: DataType): Data {
  const { nullBitmap, nullCount } = validityBits(values);
  const width = values.dtype.itemsize / 4;
  const v = ucs4ToUtf8(values.data as Uint8Array, width, values.length);
  const clean = normalizeVarlen(v, values.length, values.validity);
  return varlenData(type, clean, values.length, nullBitmap, nullCount);
}

/**
 * The Arrow Data of one column, dispatching on colz's representation: UCS-4 text columns
 * are converted, everything else goes through `dataOfValues`.
 */
export function columnData(values: ColumnValues, column: ColumnSchema, type: DataType, state?: ToVectorState): Data {
  if (values.kind === "fixed" && values.dtype.kind === "U" && column.atomShape.length === 0) {
    return ucs4Data(values, type);
  }
  return dataOfValues(values, column, type, state);
}
