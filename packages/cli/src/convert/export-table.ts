import { open } from "node:fs/promises";
import { basename } from "node:path";
import { Writable } from "node:stream";
import { type ColumnSource, compileExpression, isColzError } from "@colz/ctable";
import { writeIPC } from "@colz/ctable/arrow";
import { checkColumns } from "../args.js";
import type { ReadableTable } from "../carray-table.js";
import type { CliContext } from "../context.js";
import { usageError } from "../errors.js";
import { createRowWriter, type RowWriter } from "../output/row-writer.js";
import { streamRows } from "../read-rows.js";
import { throwIfInterrupted, writeAtomically } from "./atomic.js";
import { exportFormatOf } from "./formats.js";
import type { ExportOptions } from "./options.js";
import { type Progress, startProgress } from "./progress.js";
import { whereSource } from "./where-source.js";

/** A table to export: a ctable, or a carray presented as one; `attrs` keeps recorded Arrow types. */
export type ExportableTable = ReadableTable & { readonly attrs?: { get(key: string): unknown } };

type ExportableSource = ColumnSource & { readonly attrs?: { get(key: string): unknown } };

/** What an export wrote. */
export interface ExportResult {
  format: string;
  rows: number;
}

type FileHandle = Awaited<ReturnType<typeof open>>;

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let off = 0; off < chunk.byteLength; ) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
    off += bytesWritten;
  }
}

/** Counts rows for the progress bar as the Arrow writer reads the first column. */
function counted(source: ExportableSource, first: string, progress: Progress): ExportableSource {
  return {
    length: source.length,
    schema: source.schema,
    ...(source.attrs === undefined ? {} : { attrs: source.attrs }),
    readColumn: async (name, start, stop) => {
      const values = await source.readColumn(name, start, stop);
      if (name === first) progress.update(stop);
      return values;
    },
    scanPlan: (columns, start, stop) => source.scanPlan(columns, start, stop),
  };
}

function countingWriter(writer: RowWriter, progress: Progress, signal: AbortSignal): RowWriter {
  return {
    get rows() {
      return writer.rows;
    },
    async write(columns, length) {
      throwIfInterrupted(signal);
      await writer.write(columns, length);
      progress.increment(length);
    },
    end: () => writer.end(),
  };
}

/**
 * Writes `table` to `outPath` as an Arrow IPC file (.arrow/.feather), Arrow IPC stream
 * (.arrows), CSV (.csv) or JSON lines (.jsonl/.ndjson), chosen by the extension or `--to`,
 * streaming batch by batch, optionally only some columns and the rows matching `--where`.
 * Atomic: written beside `outPath` under a temporary name, synced and renamed into place; an
 * existing `outPath` is refused unless `force`. A progress bar counts rows when shown.
 *
 * @example
 * await exportTable(table, "prices.arrow", parseExportOptions({ where: "price > 0" }), ctx);
 */
export async function exportTable(
  table: ExportableTable,
  outPath: string,
  options: ExportOptions,
  ctx: CliContext,
): Promise<ExportResult> {
  const format = exportFormatOf(outPath, options.to);
  const columns = options.columns ?? [...table.columnNames];
  checkColumns(columns, table.columnNames);
  if (new Set(columns).size !== columns.length) throw usageError("--columns names a column twice");
  if (options.where !== undefined) {
    try {
      compileExpression(options.where, table.schema);
    } catch (e) {
      if (isColzError(e)) throw usageError(`bad --where: ${e.message}`);
      throw e;
    }
  }
  return writeAtomically(ctx, outPath, { force: options.force }, async ({ tmpPath, signal }) => {
    const fh = await open(tmpPath, "wx");
    let progress: Progress | undefined;
    try {
      let rows: number;
      if (format === "arrow" || format === "arrows") {
        const source = options.where === undefined ? table : await whereSource(table, options.where, columns, signal);
        progress = startProgress(ctx, `export ${basename(outPath)}`, source.length, "rows");
        const result = await writeIPC(
          counted(source, columns[0] ?? "", progress),
          async (chunk) => {
            throwIfInterrupted(signal);
            await writeAll(fh, chunk);
          },
          {
            format: format === "arrow" ? "file" : "stream",
            compression: options.compression,
            columns,
          },
        );
        rows = result.rows;
      } else {
        progress = startProgress(
          ctx,
          `export ${basename(outPath)}`,
          options.where === undefined ? table.length : 0,
          "rows",
        );
        const stream = fileWritable(fh);
        const writer = countingWriter(createRowWriter(format, columns, stream), progress, signal);
        await streamRows(table, { columns, ...(options.where === undefined ? {} : { where: options.where }) }, writer);
        await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
        rows = writer.rows;
      }
      await fh.sync();
      return { format, rows };
    } catch (e) {
      throwIfInterrupted(signal);
      throw e;
    } finally {
      progress?.stop();
      await fh.close().catch(() => undefined);
    }
  });
}

/** A Node Writable over an open file handle (the row writers want a stream with backpressure). */
function fileWritable(fh: FileHandle): Writable {
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, callback) {
      writeAll(fh, chunk).then(() => callback(), callback);
    },
  });
}
