import type { ColumnValues } from "@colz/ctable";
import { type ColumnTypedArray, decodeFixedBytes, decodeUcs4 } from "@colz/format";

/**
 * One column as `getColumns` returns it:
 * - numbers, bool, datetime64/timedelta64: the typed array (BigInt64Array for 64-bit integers and
 *   datetimes, Uint8Array 0/1 for bool); nulls of a nullable column hold the fill value (ask for
 *   `raw` to get the validity);
 * - `<U<n>` and utf8 columns: strings; `|S<n>` and binary columns: byte arrays (views);
 *   nulls of utf8/binary columns are `null`.
 */
export type ColumnArray = ColumnTypedArray | (string | null)[] | (Uint8Array | null)[];

/**
 * Converts a column read by `CTable.readColumn` to its `getColumns` form (see ColumnArray).
 *
 * @example
 * toColumnArray({ kind: "fixed", dtype, length: 3, data: new Float64Array([1, 2, 3]) }); // Float64Array [1, 2, 3]
 */
export function toColumnArray(values: ColumnValues): ColumnArray {
  if (values.kind === "fixed") {
    const { dtype, data } = values;
    if (dtype.kind === "U") {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      return decodeUcs4(bytes, dtype.itemsize, dtype.byteOrder === ">" ? ">" : "<");
    }
    if (dtype.kind === "S") return decodeFixedBytes(data as Uint8Array, dtype.itemsize);
    return data;
  }
  const { offsets, data, validity, length } = values;
  const decoder = values.kind === "utf8" ? new TextDecoder() : undefined;
  const out: (string | Uint8Array | null)[] = new Array(length);
  for (let i = 0; i < length; i++) {
    if (validity !== undefined && validity[i] === 0) {
      out[i] = null;
      continue;
    }
    const bytes = data.subarray(Number(offsets[i]), Number(offsets[i + 1]));
    out[i] = decoder === undefined ? bytes : decoder.decode(bytes);
  }
  return out as ColumnArray;
}
