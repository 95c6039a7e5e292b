import type { ColumnIO } from "../carray/column-io.js";
import { takeRows } from "../carray/selection.js";
import type { Columns } from "./options.js";

/**
 * Rows [start, stop) of the named columns.
 *
 * @example
 * await readRange(ios, ["price"], 0, 100);
 */
export async function readRange(
  ios: ReadonlyMap<string, ColumnIO>,
  names: readonly string[],
  start: number,
  stop: number,
): Promise<Columns> {
  const out: Columns = {};
  for (const n of names) out[n] = await ios.get(n)!.readValues(start, stop);
  return out;
}

/**
 * Rows at resolved `indices` of the named columns, each column reading every touched chunk once.
 *
 * @example
 * await takeColumns(ios, ["price"], new Float64Array([3, 1]));
 */
export async function takeColumns(
  ios: ReadonlyMap<string, ColumnIO>,
  names: readonly string[],
  indices: ArrayLike<number>,
): Promise<Columns> {
  const out: Columns = {};
  for (const n of names) {
    const io = ios.get(n)!;
    out[n] = await takeRows((s, e) => io.readValues(s, e), io.main.chunklen, indices, io.type);
  }
  return out;
}
