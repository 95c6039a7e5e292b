import { type Columns, gatherValues, isColzError, iterWhere, normalizeSlice, type Selection } from "@colz/ctable";
import type { SliceArg } from "./args.js";
import { checkColumns } from "./args.js";
import type { ReadableTable } from "./carray-table.js";
import { usageError } from "./errors.js";
import type { RowWriter } from "./output/row-writer.js";

/** Which rows and columns to stream. */
export interface RowQuery {
  slice?: SliceArg;
  /** Column names (default: all, in table order). */
  columns?: readonly string[];
  /** A where() expression (packages/ctable/EXPRESSIONS.md). */
  where?: string;
}

/** Rows read per batch: whole chunks of the widest-chunked column, bounded for memory. */
const MAX_BATCH_ROWS = 1 << 18;

function batchRows(table: ReadableTable, names: readonly string[]): number {
  const lens = names.map((n) => table.column(n).chunklen);
  return Math.min(MAX_BATCH_ROWS, Math.max(1, ...lens));
}

/**
 * Streams the selected rows of `table` to `writer`, one batch (about one chunk) at a time, so
 * memory stays constant whatever the table's size. Unknown columns and bad expressions are usage
 * errors (exit 2) with the library's message; a closed output pipe surfaces as BrokenPipeError
 * from the writer.
 *
 * @example
 * await streamRows(table, { slice: { stop: 10 }, columns: ["id"] }, createRowWriter("csv", ["id"], sink));
 */
export async function streamRows(table: ReadableTable, query: RowQuery, writer: RowWriter): Promise<void> {
  const names = query.columns ?? table.columnNames;
  checkColumns(names, table.columnNames);
  const s = normalizeSlice(table.length, query.slice?.start, query.slice?.stop, query.slice?.step ?? 1);
  const batch = batchRows(table, names);
  if (query.where !== undefined) {
    await streamWhere(table, query.where, names, s, writer);
  } else if (s.step === 1) {
    const stop = s.start + s.count;
    for (let at = s.start; at < stop; at += batch) {
      const end = Math.min(stop, at + batch);
      const columns: Columns = {};
      for (const n of names) columns[n] = await table.readColumn(n, at, end);
      await writer.write(columns, end - at);
    }
  } else {
    // Strided or backwards: `batch` indices at a time; take() reads each touched chunk once.
    for (let done = 0; done < s.count; done += batch) {
      const n = Math.min(batch, s.count - done);
      const indices = new Float64Array(n);
      for (let k = 0; k < n; k++) indices[k] = s.start + (done + k) * s.step;
      await writer.write(await table.take(indices, { columns: names }), n);
    }
  }
  await writer.end();
}

async function streamWhere(
  table: ReadableTable,
  expr: string,
  names: readonly string[],
  s: { start: number; step: number; count: number },
  writer: RowWriter,
): Promise<void> {
  if (s.step < 0) throw usageError("--where needs a positive --slice step");
  if (s.count === 0) return;
  const stop = s.start + (s.count - 1) * s.step + 1;
  let selections: AsyncIterable<Selection>;
  try {
    selections = iterWhere(table, expr, { columns: names, start: s.start, stop });
  } catch (e) {
    throw isColzError(e) && e.code === "ERR_BAD_EXPRESSION" ? usageError(`bad --where: ${e.message}`) : e;
  }
  for await (const sel of selections) {
    let columns = sel.columns;
    let length = sel.length;
    if (s.step !== 1) {
      // Keep the matches on the slice's stride.
      const keep: number[] = [];
      for (let k = 0; k < sel.length; k++) if ((sel.indices[k]! - s.start) % s.step === 0) keep.push(k);
      columns = Object.fromEntries(names.map((n) => [n, gatherValues(sel.columns[n]!, keep)]));
      length = keep.length;
    }
    if (length > 0) await writer.write(columns, length);
  }
}
