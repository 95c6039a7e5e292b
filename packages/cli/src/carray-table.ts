import type { CArray, ColumnSchema, ColumnSource, Columns, ReadOptions, ScanStep } from "@colz/ctable";
import { CliError } from "./errors.js";

/**
 * What the read commands need of a table: a ColumnSource (so `where()` runs on it) plus column
 * access, random reads and close. A CTable is one as it is; a single carray is wrapped by
 * `carrayAsTable`.
 */
export interface ReadableTable extends ColumnSource {
  readonly columnNames: readonly string[];
  /** The column's CArray (metadata: dtype, cparams, sizes). */
  column(name: string): CArray;
  /** Rows at `indices` (ascending or not) of the chosen columns. */
  take(indices: ArrayLike<number>, options?: ReadOptions): Promise<Columns>;
  close(): Promise<void>;
}

/**
 * A single carray presented as a one-column table named `name` (the array's directory name,
 * or `value`). Scans are chunk-aligned; no statistics are passed on (where() still works).
 *
 * @example
 * const t = carrayAsTable(await openArray("close.bcolz"), "close");
 * await t.readColumn("close", 0, 10);
 */
export function carrayAsTable(array: CArray, name: string): ReadableTable {
  const check = (column: string): void => {
    if (column !== name)
      throw new CliError(
        "ERR_USAGE",
        `unknown column ${JSON.stringify(column)} (the carray's column is ${JSON.stringify(name)})`,
      );
  };
  const schema: ColumnSchema = { ...array.schema, name };
  return {
    get length() {
      return array.length;
    },
    schema: [schema],
    columnNames: [name],
    column(column) {
      check(column);
      return array;
    },
    readColumn(column, start, stop) {
      check(column);
      return array.readValues(start, stop);
    },
    async scanPlan(columns, start, stop): Promise<ScanStep[]> {
      for (const c of columns) check(c);
      const steps: ScanStep[] = [];
      const L = array.chunklen;
      for (let s = start; s < stop; ) {
        const e = Math.min(stop, (Math.floor(s / L) + 1) * L);
        steps.push({ start: s, stop: e, stats: {} });
        s = e;
      }
      return steps;
    },
    async take(indices, options) {
      for (const c of options?.columns ?? [name]) check(c);
      return { [name]: await array.take(indices) };
    },
    close: () => array.close(),
  };
}
