import { isBigIntDtype } from "@colz/format";
import { badArgument, where } from "../errors.js";
import { NAT } from "../values/dates.js";
import type { ColumnIO } from "./column-io.js";

// sum/min/max/mean computed chunk by chunk, never materialising the column. min and max come
// from the chunk sidecars when they describe exactly the chunk's rows, so a column with
// statistics is summarised without decompressing anything but the writer's partial chunk.
// Semantics follow NumPy where it has one: NaN propagates through every reduction; nulls are
// skipped (masked-array semantics); NaT is skipped too (NumPy's nanmin/nanmax behaviour).

export type ReductionOp = "sum" | "min" | "max" | "mean";

/**
 * Computes `op` over every non-null element of a numeric, bool, datetime64 or timedelta64 column.
 * Result: number (bool, ≤32-bit ints, floats, every mean) or bigint (64-bit types); min/max of
 * no values is undefined, sum is 0 (0n), mean NaN.
 *
 * @example
 * await reduce(io, "max"); // 101.5
 */
export async function reduce(io: ColumnIO, op: ReductionOp): Promise<number | bigint | undefined> {
  const { dtype, kind } = io.type;
  const what = where(io.store, io.prefix);
  if (kind !== "fixed" || !"biufMm".includes(dtype.kind)) {
    throw badArgument(
      `${op}() needs a numeric, bool or datetime column; ${what} is ${kind === "fixed" ? dtype.str : kind}`,
    );
  }
  if ((op === "sum" || op === "mean") && dtype.kind === "M") throw badArgument(`${op}() of datetime64 column ${what}`);
  const big = isBigIntDtype(dtype);
  const time = dtype.kind === "M" || dtype.kind === "m";
  const float = dtype.kind === "f";
  let sum: number | bigint = big ? 0n : 0;
  let count = 0;
  let min: number | bigint | undefined;
  let max: number | bigint | undefined;
  let nan = false;
  const L = io.main.chunklen;
  const nchunks = Math.ceil(io.length / L);
  const items = io.type.atomItems;
  for (let i = 0; i < nchunks && !nan; i++) {
    const start = i * L;
    const end = Math.min(io.length, start + L);
    if (op === "min" || op === "max") {
      const s = await io.main.chunkStats(i);
      if (s !== undefined && s.rows === end - start) {
        if (float && s.nans > 0) nan = true;
        if (s.min !== null && (min === undefined || s.min < min)) min = s.min;
        if (s.max !== null && (max === undefined || s.max > max)) max = s.max;
        continue;
      }
    }
    const values = await io.readValues(start, end);
    if (values.kind !== "fixed") continue;
    const data = values.data as ArrayLike<number | bigint>;
    const valid = values.validity;
    for (let k = 0; k < data.length; k++) {
      if (valid !== undefined && valid[Math.floor(k / items)] === 0) continue;
      const x = data[k]!;
      if (time && x === NAT) continue;
      if (float && Number.isNaN(x)) {
        nan = true;
        break;
      }
      if (op === "sum" || op === "mean") {
        sum = big ? (sum as bigint) + (x as bigint) : (sum as number) + (x as number);
        count++;
      } else {
        if (min === undefined || x < min) min = x;
        if (max === undefined || x > max) max = x;
      }
    }
  }
  if (nan) return Number.NaN;
  if (op === "sum") return sum;
  if (op === "mean") return count === 0 ? Number.NaN : Number(sum) / count;
  return op === "min" ? min : max;
}
