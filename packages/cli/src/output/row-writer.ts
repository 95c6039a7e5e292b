import type { Columns } from "@colz/ctable";
import { csvField } from "./csv.js";
import type { OutputFormat } from "./formats.js";
import { type ColumnRenderer, columnRenderer } from "./render-values.js";
import { TextSink } from "./sink.js";
import { TableLayout } from "./table-layout.js";

/** Options of createRowWriter. */
export interface RowWriterOptions {
  /** Terminal width the table format fits into; undefined = no limit (only the per-cell cap). */
  width?: number;
}

/** Writes rows in one format, batch by batch, with the sink's backpressure respected. */
export interface RowWriter {
  /** Writes `length` rows of `columns` (every column named at creation, each `length` long). */
  write(columns: Columns, length: number): Promise<void>;
  /** Writes what is pending (the table header when no row came) and flushes; does not end the stream. */
  end(): Promise<void>;
  /** Rows written so far. */
  readonly rows: number;
}

/**
 * A streaming writer of `format` rows for `columns` to `sink` (a stream or a TextSink): csv (a
 * header of column names, RFC 4180 quoting, LF line ends), jsonl (one object per row keyed by
 * column name, in column order) or table (aligned columns sized from the first batch and fitted
 * to `options.width`). Memory stays at about one batch: text is handed on in 64 KB pieces and
 * `write` waits for 'drain'.
 *
 * @example
 * const w = createRowWriter("csv", ["id", "price"], fileStream);
 * for await (const b of table.iterBatches()) await w.write(b.columns, b.stop - b.start);
 * await w.end();
 */
export function createRowWriter(
  format: OutputFormat,
  columns: readonly string[],
  sink: NodeJS.WritableStream | TextSink,
  options: RowWriterOptions = {},
): RowWriter {
  const out = sink instanceof TextSink ? sink : new TextSink(sink);
  const render = (batch: Columns): ColumnRenderer[] =>
    columns.map((name) => {
      const v = batch[name];
      if (v === undefined) throw new Error(`row writer: batch lacks column ${JSON.stringify(name)}`);
      return columnRenderer(v);
    });
  let rows = 0;
  let started = false;

  if (format === "jsonl") {
    const keys = columns.map((name) => `${JSON.stringify(name)}:`);
    return {
      get rows() {
        return rows;
      },
      async write(batch, length) {
        const r = render(batch);
        for (let k = 0; k < length; k++) {
          let line = "{";
          for (let c = 0; c < r.length; c++) line += `${c === 0 ? "" : ","}${keys[c]}${r[c]!.json(k)}`;
          await out.write(`${line}}\n`);
        }
        rows += length;
      },
      end: () => out.flush(),
    };
  }

  if (format === "csv") {
    const header = `${columns.map((n) => csvField(n)).join(",")}\n`;
    return {
      get rows() {
        return rows;
      },
      async write(batch, length) {
        if (!started) {
          started = true;
          await out.write(header);
        }
        const r = render(batch);
        for (let k = 0; k < length; k++) {
          let line = "";
          for (let c = 0; c < r.length; c++) line += `${c === 0 ? "" : ","}${csvField(r[c]!.text(k))}`;
          await out.write(`${line}\n`);
        }
        rows += length;
      },
      async end() {
        if (!started) await out.write(header);
        started = true;
        await out.flush();
      },
    };
  }

  let layout: TableLayout | undefined;
  return {
    get rows() {
      return rows;
    },
    async write(batch, length) {
      const r = render(batch);
      if (layout === undefined) {
        layout = TableLayout.measure(columns, r, length, options.width);
        await out.write(layout.header());
      }
      for (let k = 0; k < length; k++) await out.write(layout.row(r, k));
      rows += length;
    },
    async end() {
      if (layout === undefined) {
        layout = TableLayout.measure(columns, [], 0, options.width);
        await out.write(layout.header());
      }
      await out.flush();
    },
  };
}
