import { type ColumnTypedArray, decodeUcs4, HOST_LITTLE_ENDIAN } from "@colz/format";
import type { ColumnValues, JsValue, Row } from "../types.js";
import { countToDate } from "./dates.js";

/** How `toJsArray` renders values. */
export interface ToJsOptions {
  /** |S values as strings (UTF-8, invalid bytes → U+FFFD; default) or as Uint8Arrays ("bytes"). */
  fixedBytes?: "string" | "bytes";
  /** datetime64 values as JavaScript Dates (default false: bigint counts of the unit). */
  dates?: boolean;
}

const decoder = new TextDecoder();

/**
 * Plain JavaScript values of every row: bool → boolean, integers up to 32 bits and floats →
 * number, 64-bit integers, datetime64 and timedelta64 → bigint (or Date with `dates`), |S and
 * <U → string, utf8 → string, binary → Uint8Array, null rows → null. Rows of N-D columns are
 * typed arrays of prod(atomShape) elements.
 *
 * @example
 * toJsArray(await carray.slice(0, 3)); // [1.5, null, 2]
 */
export function toJsArray(v: ColumnValues, options: ToJsOptions = {}): JsValue[] {
  const out: JsValue[] = new Array(v.length);
  const valid = v.validity;
  if (v.kind !== "fixed") {
    const o = v.offsets;
    for (let k = 0; k < v.length; k++) {
      if (valid !== undefined && valid[k] === 0) {
        out[k] = null;
        continue;
      }
      const bytes = v.data.subarray(Number(o[k]), Number(o[k + 1]));
      out[k] = v.kind === "utf8" ? decoder.decode(bytes) : bytes;
    }
    return out;
  }
  const { dtype, data } = v;
  const strings = dtype.kind === "S" || dtype.kind === "U";
  const width = v.length === 0 ? 1 : data.length / v.length;
  const items = strings ? width / dtype.itemsize : width;
  if (items !== 1) {
    for (let k = 0; k < v.length; k++) {
      out[k] =
        valid !== undefined && valid[k] === 0 ? null : (data.slice(k * width, (k + 1) * width) as ColumnTypedArray);
    }
    return out;
  }
  if (dtype.kind === "S") {
    for (let k = 0; k < v.length; k++) {
      let end = (k + 1) * width;
      while (end > k * width && data[end - 1] === 0) end--;
      const bytes = (data as Uint8Array).subarray(k * width, end);
      out[k] = options.fixedBytes === "bytes" ? bytes.slice() : decoder.decode(bytes);
    }
  } else if (dtype.kind === "U") {
    const texts = decodeUcs4(data as Uint8Array, dtype.itemsize, HOST_LITTLE_ENDIAN ? "<" : ">");
    for (let k = 0; k < v.length; k++) out[k] = texts[k]!;
  } else if (dtype.kind === "b") {
    for (let k = 0; k < v.length; k++) out[k] = data[k] !== 0;
  } else if (dtype.kind === "M" && options.dates === true) {
    for (let k = 0; k < v.length; k++) out[k] = countToDate(data[k] as bigint, dtype.unit!);
  } else {
    for (let k = 0; k < v.length; k++) out[k] = data[k]!;
  }
  if (valid !== undefined) for (let k = 0; k < v.length; k++) if (valid[k] === 0) out[k] = null;
  return out;
}

/**
 * Row objects from column values of equal length.
 *
 * @example
 * toRows({ id: idValues, sym: symValues }); // [{ id: 1, sym: "AAPL" }, ...]
 */
export function toRows(columns: Record<string, ColumnValues>, options: ToJsOptions = {}): Row[] {
  const names = Object.keys(columns);
  const arrays = names.map((n) => toJsArray(columns[n]!, options));
  const length = names.length === 0 ? 0 : columns[names[0]!]!.length;
  const rows: Row[] = new Array(length);
  for (let r = 0; r < length; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = arrays[c]![r]!;
    rows[r] = row;
  }
  return rows;
}
