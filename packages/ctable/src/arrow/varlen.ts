import { ColzError } from "@colz/format";
import { VIEW_INLINE_MAX, VIEW_SIZE } from "./arrow-compat.js";

// Variable-length values in their three Arrow layouts: offsets + bytes (Utf8/Binary with int32
// offsets, Large* with int64), 16-byte views over variadic buffers (Utf8View/BinaryView), and
// colz's fixed-width UCS-4 text (<U n>), plus the null-row rule of colz varlen columns.

/** Offsets + bytes, colz's varlen representation (offsets[0] may be non-zero on input). */
export interface Varlen {
  offsets: Int32Array | BigInt64Array;
  data: Uint8Array;
}

const INT32_MAX = 0x7fffffff;

/** offsets[i] as a number (int64 offsets of colz columns are far below 2^53). */
export function offsetAt(offsets: Int32Array | BigInt64Array, i: number): number {
  return Number(offsets[i]!);
}

/**
 * Brings varlen values to colz's rules: offsets start at 0 and every null row is empty.
 * Returns views of the input when it already complies; rebases the offsets (bytes still a
 * view) when only the first offset is off; copies the bytes only to drop non-empty null rows.
 */
export function normalizeVarlen(v: Varlen, length: number, validity?: Uint8Array): Varlen {
  const base = offsetAt(v.offsets, 0);
  const end = offsetAt(v.offsets, length);
  let dropped = 0;
  if (validity !== undefined) {
    for (let i = 0; i < length; i++) {
      if (validity[i] === 0) dropped += offsetAt(v.offsets, i + 1) - offsetAt(v.offsets, i);
    }
  }
  if (base === 0 && dropped === 0) return { offsets: v.offsets.subarray(0, length + 1), data: v.data.subarray(0, end) };
  const total = end - base - dropped;
  const big = total > INT32_MAX;
  const offsets = big ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
  if (dropped === 0) {
    for (let i = 1; i <= length; i++)
      offsets[i] = (big ? BigInt(offsetAt(v.offsets, i) - base) : offsetAt(v.offsets, i) - base) as never;
    return { offsets, data: v.data.subarray(base, end) };
  }
  const data = new Uint8Array(total);
  // Bytes move in runs of consecutive kept rows (one copy per run, not per row); `shift` is
  // how far the current run moves left: the base plus the bytes of the null rows dropped so far.
  let shift = base;
  let runStart = base;
  for (let i = 0; i < length; i++) {
    const s = offsetAt(v.offsets, i);
    const e = offsetAt(v.offsets, i + 1);
    if (validity![i] === 0 && e !== s) {
      data.set(v.data.subarray(runStart, s), runStart - shift);
      shift += e - s;
      runStart = e;
    }
    offsets[i + 1] = (big ? BigInt(e - shift) : e - shift) as never;
  }
  data.set(v.data.subarray(runStart, end), runStart - shift);
  return { offsets, data };
}

/**
 * int32 offsets for Utf8/Binary (a view of the input when it already is one).
 * Throws ERR_TOO_LARGE past 2 GiB of bytes: use LargeUtf8/LargeBinary for those.
 */
export function int32Offsets(offsets: Int32Array | BigInt64Array, length: number): Int32Array {
  if (offsets instanceof Int32Array) return offsets.subarray(0, length + 1);
  const end = offsets[length]!;
  if (end > BigInt(INT32_MAX)) {
    throw new ColzError("ERR_TOO_LARGE", `${end} bytes of values do not fit Utf8/Binary; use LargeUtf8/LargeBinary`);
  }
  const out = new Int32Array(length + 1);
  for (let i = 0; i <= length; i++) out[i] = Number(offsets[i]!);
  return out;
}

/** int64 offsets for LargeUtf8/LargeBinary (a view of the input when it already is one). */
export function int64Offsets(offsets: Int32Array | BigInt64Array, length: number): BigInt64Array {
  if (offsets instanceof BigInt64Array) return offsets.subarray(0, length + 1);
  const out = new BigInt64Array(length + 1);
  for (let i = 0; i <= length; i++) out[i] = BigInt(offsets[i]!);
  return out;
}

/** Decodes Utf8View/BinaryView structs (already sliced to the rows) into offsets + bytes. */
export function viewsToVarlen(views: Uint8Array, buffers: readonly Uint8Array[], length: number): Varlen {
  const dv = new DataView(views.buffer, views.byteOffset, views.byteLength);
  if (views.length < length * VIEW_SIZE)
    throw new ColzError("ERR_CORRUPT_CHUNK", "view buffer is shorter than its rows");
  let total = 0;
  for (let i = 0; i < length; i++) total += dv.getInt32(i * VIEW_SIZE, true);
  const big = total > INT32_MAX;
  const offsets = big ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
  const data = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < length; i++) {
    const v = i * VIEW_SIZE;
    const len = dv.getInt32(v, true);
    if (len < 0) throw new ColzError("ERR_CORRUPT_CHUNK", `view ${i} has a negative length`);
    if (len <= VIEW_INLINE_MAX) {
      data.set(views.subarray(v + 4, v + 4 + len), at);
    } else {
      const buf = buffers[dv.getInt32(v + 8, true)];
      const off = dv.getInt32(v + 12, true);
      if (buf === undefined || off < 0 || off + len > buf.length) {
        throw new ColzError("ERR_CORRUPT_CHUNK", `view ${i} points outside its data buffers`);
      }
      data.set(buf.subarray(off, off + len), at);
    }
    at += len;
    offsets[i + 1] = big ? BigInt(at) : (at as never);
  }
  return { offsets, data };
}

/** Encodes offsets + bytes as view structs over one variadic buffer (the bytes themselves). */
export function varlenToViews(v: Varlen, length: number): { views: Uint8Array; buffers: Uint8Array[] } {
  const base = offsetAt(v.offsets, 0);
  const end = offsetAt(v.offsets, length);
  if (end - base > INT32_MAX) throw new ColzError("ERR_TOO_LARGE", "views address at most 2 GiB per buffer");
  const data = v.data.subarray(base, end);
  const views = new Uint8Array(length * VIEW_SIZE);
  const dv = new DataView(views.buffer);
  for (let i = 0; i < length; i++) {
    const s = offsetAt(v.offsets, i) - base;
    const len = offsetAt(v.offsets, i + 1) - base - s;
    const at = i * VIEW_SIZE;
    dv.setInt32(at, len, true);
    if (len <= VIEW_INLINE_MAX) {
      views.set(data.subarray(s, s + len), at + 4);
    } else {
      views.set(data.subarray(s, s + 4), at + 4);
      dv.setInt32(at + 8, 0, true);
      dv.setInt32(at + 12, s, true);
    }
  }
  return { views, buffers: [data] };
}

/** UCS-4 rows (native-order code units, `width` units each) as UTF-8 offsets + bytes. */
export function ucs4ToUtf8(bytes: Uint8Array, width: number, length: number): Varlen {
  const units = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length * width * 4));
  const out: number[] = [];
  const offsets = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) {
    let end = (i + 1) * width;
    while (end > i * width && units[end - 1] === 0) end--;
    for (let k = i * width; k < end; k++) {
      let cp = units[k]!;
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
      if (cp < 0x80) out.push(cp);
      else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
      else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
      else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    }
    offsets[i + 1] = out.length;
  }
  return { offsets, data: Uint8Array.from(out) };
}

/** UTF-8 rows as UCS-4 (`width` code units per row, NUL-padded, native order). */
export function utf8ToUcs4(v: Varlen, width: number, length: number): Uint8Array {
  const units = new Uint32Array(length * width);
  const decoder = new TextDecoder();
  for (let i = 0; i < length; i++) {
    const text = decoder.decode(v.data.subarray(offsetAt(v.offsets, i), offsetAt(v.offsets, i + 1)));
    let k = 0;
    for (const ch of text) {
      if (k >= width)
        throw new ColzError("ERR_BAD_ARGUMENT", `row ${i} has more than ${width} code points (U${width})`);
      units[i * width + k++] = ch.codePointAt(0)!;
    }
  }
  return new Uint8Array(units.buffer);
}
