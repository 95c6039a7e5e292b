import { badArgument } from "../errors.js";
import type { ColumnValues } from "../types.js";
import type { ColumnType } from "../values/column-type.js";
import { concatValues, gatherValues } from "../values/ops.js";

// Python-style slices, index lists and boolean masks turned into row reads that decode every
// touched chunk once: indices are visited in ascending order, grouped by chunk, each group is
// read as one contiguous range and gathered; the result is then put back in the caller's order.

/** Reads rows [start, end) of one column. */
export type RangeReader = (start: number, end: number) => Promise<ColumnValues>;

/** A normalised slice: `count` rows start, start + step, ... */
export interface SliceSpec {
  start: number;
  step: number;
  count: number;
}

/**
 * Python's `slice(start, stop, step).indices(length)`: negative indices count from the end,
 * out-of-range bounds are clipped, a negative step walks backwards. Step 0 is ERR_BAD_ARGUMENT.
 *
 * @example
 * normalizeSlice(10, -3); // { start: 7, step: 1, count: 3 }
 * normalizeSlice(10, undefined, undefined, -1); // { start: 9, step: -1, count: 10 }
 */
export function normalizeSlice(length: number, start?: number, stop?: number, step = 1): SliceSpec {
  for (const [name, v] of [
    ["start", start],
    ["stop", stop],
    ["step", step],
  ] as const) {
    if (v !== undefined && v !== null && !Number.isInteger(v))
      throw badArgument(`slice ${name} must be an integer, got ${v}`);
  }
  if (step === 0) throw badArgument("slice step must not be zero");
  const clamp = (v: number | undefined | null, dflt: number, lo: number, hi: number) => {
    if (v === undefined || v === null) return dflt;
    const x = v < 0 ? v + length : v;
    return Math.min(Math.max(x, lo), hi);
  };
  let s: number;
  let e: number;
  if (step > 0) {
    s = clamp(start, 0, 0, length);
    e = clamp(stop, length, 0, length);
  } else {
    s = clamp(start, length - 1, -1, length - 1);
    e = clamp(stop, -1, -1, length - 1);
  }
  const count = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
  return { start: s, step, count };
}

/**
 * Resolves one index (negative counts from the end); out of range is ERR_BAD_ARGUMENT naming `what`.
 *
 * @example
 * resolveIndex(-1, 10, "price"); // 9
 */
export function resolveIndex(i: number, length: number, what: string): number {
  const x = typeof i === "bigint" ? Number(i) : i;
  if (!Number.isInteger(x)) throw badArgument(`${what}: index ${String(i)} is not an integer`);
  const r = x < 0 ? x + length : x;
  if (r < 0 || r >= length) throw badArgument(`${what}: index ${i} is out of range for length ${length}`);
  return r;
}

/**
 * Indices of a normalised slice.
 *
 * @example
 * sliceIndices({ start: 9, step: -2, count: 3 }); // [9, 7, 5]
 */
export function sliceIndices(s: SliceSpec): Float64Array {
  const out = new Float64Array(s.count);
  for (let k = 0; k < s.count; k++) out[k] = s.start + k * s.step;
  return out;
}

/**
 * Rows at `indices` (already resolved to 0..length-1, any order, repeats allowed), reading each
 * touched chunk once.
 *
 * @example
 * await takeRows(read, 1000, [5, 3000, 4], type);
 */
export async function takeRows(
  read: RangeReader,
  chunklen: number,
  indices: ArrayLike<number>,
  type: ColumnType,
): Promise<ColumnValues> {
  const n = indices.length;
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) if (indices[k]! < indices[k - 1]!) sorted = false;
  let order: Uint32Array | undefined;
  let idx: ArrayLike<number> = indices;
  if (!sorted) {
    order = new Uint32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort((a, b) => indices[a]! - indices[b]!);
    const s = new Float64Array(n);
    for (let k = 0; k < n; k++) s[k] = indices[order[k]!]!;
    idx = s;
  }
  const parts: ColumnValues[] = [];
  let k = 0;
  while (k < n) {
    const chunk = Math.floor(idx[k]! / chunklen);
    let j = k;
    while (j < n && Math.floor(idx[j]! / chunklen) === chunk) j++;
    const lo = idx[k]!;
    const hi = idx[j - 1]! + 1;
    const values = await read(lo, hi);
    const local = new Float64Array(j - k);
    for (let t = k; t < j; t++) local[t - k] = idx[t]! - lo;
    parts.push(gatherValues(values, local));
    k = j;
  }
  const result = concatValues(parts, type);
  if (order === undefined) return result;
  // result[r] is the row of the r-th smallest index; position order[r] of the caller wants it.
  const back = new Float64Array(n);
  for (let r = 0; r < n; r++) back[order[r]!] = r;
  return gatherValues(result, back);
}

/**
 * Indices where `mask` is truthy; the mask must have exactly `length` entries.
 *
 * @example
 * maskIndices([true, false, true], 3, "price"); // [0, 2]
 */
export function maskIndices(mask: ArrayLike<boolean | number>, length: number, what: string): Float64Array {
  if (mask.length !== length) throw badArgument(`${what}: the mask has ${mask.length} entries for ${length} rows`);
  let count = 0;
  for (let i = 0; i < length; i++) if (mask[i]) count++;
  const out = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < length; i++) if (mask[i]) out[at++] = i;
  return out;
}

/**
 * Resolves caller indices (negative from the end) into a Float64Array; ERR_BAD_ARGUMENT when any is out of range.
 *
 * @example
 * resolveIndices([-1, 0], 10, "price"); // [9, 0]
 */
export function resolveIndices(indices: ArrayLike<number | bigint>, length: number, what: string): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = resolveIndex(indices[k] as number, length, what);
  return out;
}
