import { ColzError } from "@colz/format";
import type { ColumnValues } from "../types.js";
import { TWO32 } from "./kernels.js";

// String columns for comparison: each row is a range [starts[i], ends[i]) of `units`, bytes for
// utf8/binary/|S and code points for <U. Fixed-width values lose their trailing NULs, as NumPy
// strips them. Ordering is by unit, which is Unicode code point order for utf8 (UTF-8 preserves
// it) and <U, and byte order for |S and binary; literals are encoded to match (UTF-8 or code points).

export interface SVec {
  t: "s";
  wide: boolean;
  units: Uint8Array | Uint32Array;
  starts: Int32Array | Float64Array;
  ends: Int32Array | Float64Array;
  valid: Uint8Array | undefined;
}

const encoder = new TextEncoder();

/** A string literal in a column's units. */
export function encodeLiteral(value: string, wide: boolean): Uint8Array | Uint32Array {
  if (!wide) return encoder.encode(value);
  return Uint32Array.from(value, (ch) => ch.codePointAt(0)!);
}

/** utf8/binary end offsets as numbers (64-bit offsets are read as word pairs: no BigInt per row). */
export function offsetsAsNumbers(offsets: Int32Array | BigInt64Array, n: number): Int32Array | Float64Array {
  if (offsets instanceof Int32Array) return offsets;
  const words = new Int32Array(offsets.buffer, offsets.byteOffset, 2 * (n + 1));
  const out = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) out[i] = words[2 * i + 1]! * TWO32 + (words[2 * i]! >>> 0);
  return out;
}

/** Row ranges of fixed-width strings, trailing zero units removed. */
function fixedRanges(units: Uint8Array | Uint32Array, width: number, n: number) {
  const Ctor = units.length >= 2 ** 31 ? Float64Array : Int32Array;
  const starts = new Ctor(n);
  const ends = new Ctor(n);
  for (let i = 0, at = 0; i < n; i++, at += width) {
    let end = at + width;
    while (end > at && units[end - 1] === 0) end--;
    starts[i] = at;
    ends[i] = end;
  }
  return { starts, ends };
}

/**
 * NumPy <U data as code points. In-memory column values are in host order whatever the stored
 * dtype says (format's toTypedArray swaps ">" data on read); unaligned bytes are copied.
 */
function codePoints(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new Uint32Array(bytes.slice().buffer);
}

/** The SVec of a string column's values over `n` rows. */
export function svecOf(name: string, cv: ColumnValues, n: number): SVec {
  if (cv.kind !== "fixed") {
    if (cv.offsets.length < n + 1) {
      throw new ColzError("ERR_BAD_ARGUMENT", `column "${name}": ${cv.offsets.length} offsets for ${n} rows`);
    }
    const starts = offsetsAsNumbers(cv.offsets, n);
    return {
      t: "s",
      wide: false,
      units: cv.data,
      starts: starts.subarray(0, n),
      ends: starts.subarray(1, n + 1),
      valid: cv.validity,
    };
  }
  const { dtype } = cv;
  const bytes =
    cv.data instanceof Uint8Array ? cv.data : new Uint8Array(cv.data.buffer, cv.data.byteOffset, cv.data.byteLength);
  if (bytes.length < n * dtype.itemsize) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `column "${name}": ${bytes.length} bytes cannot hold ${n} ${dtype.str} values`,
    );
  }
  if (dtype.kind === "S") {
    return { t: "s", wide: false, units: bytes, ...fixedRanges(bytes, dtype.itemsize, n), valid: cv.validity };
  }
  const units = codePoints(bytes.subarray(0, n * dtype.itemsize));
  return { t: "s", wide: true, units, ...fixedRanges(units, dtype.itemsize / 4, n), valid: cv.validity };
}

/**
 * Compares each row with another string vector or a literal, writing `table[class]` (see
 * compareTable). `eqOnly` (for == / !=) lets rows of different lengths answer without looking at units.
 */
export function cmpStr(
  a: SVec,
  b: SVec | Uint8Array | Uint32Array,
  eqOnly: boolean,
  t: Uint8Array,
  n: number,
): Uint8Array {
  const out = new Uint8Array(n);
  const ua = a.units;
  const literal = b instanceof Uint8Array || b instanceof Uint32Array;
  const ub = literal ? b : b.units;
  for (let i = 0; i < n; i++) {
    const sa = a.starts[i]!;
    const la = a.ends[i]! - sa;
    const sb = literal ? 0 : b.starts[i]!;
    const lb = literal ? ub.length : b.ends[i]! - sb;
    if (eqOnly && la !== lb) {
      out[i] = t[2]!;
      continue;
    }
    const m = la < lb ? la : lb;
    let c = la < lb ? 0 : la > lb ? 2 : 1;
    for (let k = 0; k < m; k++) {
      const x = ua[sa + k]!;
      const y = ub[sb + k]!;
      if (x !== y) {
        c = x < y ? 0 : 2;
        break;
      }
    }
    out[i] = t[c]!;
  }
  return out;
}

/** Code point order of two JS strings (JS's own < orders UTF-16 code units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const x = encodeLiteral(a, true);
  const y = encodeLiteral(b, true);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! < y[k]! ? -1 : 1;
  return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
}
