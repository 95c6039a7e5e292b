import {
  type ColumnSchema,
  type ColumnSource,
  type ColumnValues,
  iterWhere,
  type ScanStep,
  type Selection,
  sliceValues,
} from "@colz/ctable";
import { throwIfInterrupted } from "./atomic.js";

// The rows of a table matching a where() expression, as a ColumnSource the Arrow writer can
// stream from. writeIPC asks for the whole scan plan (so the row count) before it reads any
// row, and where() yields matches batch by batch; so a first pass counts the matches of each
// batch (keeping only the counts), and a second pass produces the values as the writer asks
// for them, one where() batch per record batch. Memory: one batch, whatever the table's size.

/** A table whose `attrs` (the recorded Arrow schema) the export should keep. */
type WithAttrs = ColumnSource & { readonly attrs?: { get(key: string): unknown } };

/** A ColumnSource of the rows of `table` that match `expr`, read lazily in order. */
export interface WhereSource extends ColumnSource {
  readonly attrs?: { get(key: string): unknown };
}

/**
 * Counts the matches of `expr` per where() batch, then returns a source that yields them.
 * The source must be read once, in order (as writeIPC does).
 *
 * @example
 * const source = await whereSource(table, "price > 100", ["ts", "price"], signal);
 * await writeIPC(source, "hits.arrow");
 */
export async function whereSource(
  table: WithAttrs,
  expr: string,
  columns: readonly string[],
  signal: AbortSignal,
): Promise<WhereSource> {
  const steps: ScanStep[] = [];
  let length = 0;
  for await (const sel of iterWhere(table, expr, { columns: [] })) {
    throwIfInterrupted(signal);
    if (sel.length === 0) continue;
    steps.push({ start: length, stop: length + sel.length, stats: {} });
    length += sel.length;
  }
  const byName = new Map(table.schema.map((c) => [c.name, c]));
  const schema: ColumnSchema[] = columns.map((n) => byName.get(n)!);

  let batches: AsyncIterator<Selection> | undefined;
  let current: Selection | undefined;
  let currentStart = 0;
  const advanceTo = async (start: number): Promise<Selection> => {
    batches ??= iterWhere(table, expr, { columns })[Symbol.asyncIterator]();
    while (current === undefined || start >= currentStart + current.length) {
      if (current !== undefined) currentStart += current.length;
      const r = await batches.next();
      if (r.done === true) throw new Error(`where source: row ${start} is past the ${length} matches`);
      current = r.value;
    }
    if (start < currentStart)
      throw new Error(`where source: rows must be read in order (asked ${start} after ${currentStart})`);
    return current;
  };

  return {
    length,
    schema,
    ...(table.attrs === undefined ? {} : { attrs: table.attrs }),
    async readColumn(name: string, start: number, stop: number): Promise<ColumnValues> {
      throwIfInterrupted(signal);
      const sel = await advanceTo(start);
      if (stop > currentStart + sel.length) throw new Error("where source: a read spans two where() batches");
      return sliceValues(sel.columns[name]!, start - currentStart, stop - currentStart);
    },
    async scanPlan(_columns: readonly string[], start: number, stop: number): Promise<ScanStep[]> {
      return steps
        .filter((s) => s.stop > start && s.start < stop)
        .map((s) => ({ start: Math.max(s.start, start), stop: Math.min(s.stop, stop), stats: {} }));
    },
  };
}
