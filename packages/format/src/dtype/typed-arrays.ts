import { ColzError } from "../errors.js";
import type { Dtype } from "./dtype.js";

/** Every typed array a column can be viewed as. */
export type ColumnTypedArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** A typed array constructor as returned by `typedArrayConstructor`. */
export type ColumnTypedArrayConstructor =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

/** True when this JS engine stores typed arrays little-endian (every platform colz targets). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The typed array that holds one element of `dtype` per slot: bool → Uint8Array (0/1), 64-bit
 * ints, datetime64 and timedelta64 → BigInt64Array/BigUint64Array, float16 → Uint16Array (raw
 * half-float bits), S and U → Uint8Array of raw bytes (`itemsize` bytes per element; decode them
 * with `decodeFixedBytes`/`decodeUcs4`).
 *
 * @example
 * typedArrayConstructor(parseDtype("int64")); // BigInt64Array
 */
export function typedArrayConstructor(dtype: Dtype): ColumnTypedArrayConstructor {
  switch (dtype.kind) {
    case "b":
    case "S":
    case "U":
      return Uint8Array;
    case "i":
      return ({ 1: Int8Array, 2: Int16Array, 4: Int32Array, 8: BigInt64Array } as const)[
        dtype.itemsize as 1 | 2 | 4 | 8
      ];
    case "u":
      return ({ 1: Uint8Array, 2: Uint16Array, 4: Uint32Array, 8: BigUint64Array } as const)[
        dtype.itemsize as 1 | 2 | 4 | 8
      ];
    case "f":
      return ({ 2: Uint16Array, 4: Float32Array, 8: Float64Array } as const)[dtype.itemsize as 2 | 4 | 8];
    case "M":
    case "m":
      return BigInt64Array;
  }
}

/** Byte width of one typed-array slot for `dtype` (1 for S/U/bool; the code unit size is not used here). */
function slotSize(dtype: Dtype): number {
  return dtype.kind === "S" || dtype.kind === "U" || dtype.kind === "b" ? 1 : dtype.itemsize;
}

/** Bytes swapped as one unit when converting byte order: U swaps its 4-byte code units. */
function swapUnit(dtype: Dtype): number {
  if (dtype.kind === "U") return 4;
  if (dtype.kind === "S" || dtype.kind === "b") return 1;
  return dtype.itemsize;
}

/**
 * True when data of `dtype` must be byte-swapped to match this host.
 *
 * @example
 * needsByteSwap(parseDtype(">f8")); // true on little-endian hosts
 */
export function needsByteSwap(dtype: Dtype): boolean {
  if (swapUnit(dtype) === 1) return false;
  return (dtype.byteOrder === ">") === HOST_LITTLE_ENDIAN;
}

/**
 * Reverses the byte order of every `unit`-byte group of `bytes`, in place.
 *
 * @example
 * byteSwapInPlace(new Uint8Array([0, 0, 0, 1]), 4); // [1, 0, 0, 0]
 */
export function byteSwapInPlace(bytes: Uint8Array, unit: number): Uint8Array {
  if (unit <= 1) return bytes;
  if (bytes.length % unit !== 0) {
    throw new ColzError("ERR_BAD_ARGUMENT", `cannot byte-swap ${bytes.length} bytes in ${unit}-byte units`);
  }
  for (let i = 0; i < bytes.length; i += unit) {
    for (let a = i, b = i + unit - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
  return bytes;
}

/**
 * Views decoded column bytes (as stored, in the dtype's byte order) as the dtype's native typed
 * array. Big-endian data is copied and byte-swapped; misaligned input is copied; otherwise the
 * result shares memory with `bytes`. U data comes back as bytes with native-order code units.
 *
 * @example
 * const values = toTypedArray(await reader.readChunk(0), reader.dtype) as Int32Array;
 */
export function toTypedArray(bytes: Uint8Array, dtype: Dtype): ColumnTypedArray {
  const Ctor = typedArrayConstructor(dtype);
  const size = slotSize(dtype);
  if (bytes.length % size !== 0) {
    throw new ColzError("ERR_BAD_ARGUMENT", `${bytes.length} bytes is not a whole number of ${dtype.str} elements`);
  }
  let src = bytes;
  if (needsByteSwap(dtype)) src = byteSwapInPlace(bytes.slice(), swapUnit(dtype));
  else if (src.byteOffset % size !== 0) src = bytes.slice();
  return new Ctor(src.buffer as ArrayBuffer, src.byteOffset, src.length / size);
}

/**
 * The bytes of native typed-array data converted to the dtype's stored byte order (a copy when
 * a swap is needed), the inverse of `toTypedArray`. Writers pass the result to the chunk writer.
 *
 * @example
 * const bytes = fromTypedArray(new Int32Array([1, 2]), parseDtype(">i4")); // 00 00 00 01 00 00 00 02
 */
export function fromTypedArray(values: ArrayBufferView, dtype: Dtype): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return needsByteSwap(dtype) ? byteSwapInPlace(bytes.slice(), swapUnit(dtype)) : bytes;
}
