import { ColzError } from "@colz/format";
import { type Data, type Dictionary, makeData, RecordBatch, Schema, Struct, Type } from "apache-arrow";
import type { ColumnSchema, ColumnSource } from "../types.js";
import { DictionaryEncoder } from "./dictionary-encoder.js";
import { type ArrowSchemaRecord, fieldRecord } from "./records.js";
import { columnData, type ToVectorState } from "./to-vector.js";
import { arrowFieldOf } from "./type-mapping.js";

// colz -> Arrow, batch by batch: one record batch per step of the table's scan plan (chunk
// aligned, so every step decompresses whole chunks once), built from the columns' own arrays.

/** Which rows and columns to export. */
export interface ExportOptions {
  /** Columns to export, in this order (default: all, in table order). */
  columns?: readonly string[];
  /** First row (default 0). */
  start?: number;
  /** Row after the last (default: the table's length). */
  stop?: number;
}

/** The columns selected by `options`, in order; unknown names throw ERR_BAD_ARGUMENT. */
export function selectColumns(source: ColumnSource, options: ExportOptions = {}): ColumnSchema[] {
  if (options.columns === undefined) return [...source.schema];
  const byName = new Map(source.schema.map((c) => [c.name, c]));
  return options.columns.map((name) => {
    const column = byName.get(name);
    if (column === undefined) throw new ColzError("ERR_BAD_ARGUMENT", `no column ${JSON.stringify(name)} in the table`);
    return column;
  });
}

/**
 * The Arrow schema of (some columns of) a table: colz's type mapping, refined by the Arrow
 * types recorded when the table was imported from Arrow.
 *
 * @example
 * buildArrowSchema(table.schema, undefined).fields.map(String); // ["id: Int64", "name: Utf8"]
 */
export function buildArrowSchema(columns: readonly ColumnSchema[], recorded: ArrowSchemaRecord | undefined): Schema {
  // Dictionary ids follow field order, so one table always exports to the same bytes.
  const fields = columns.map((c, i) => arrowFieldOf(c, fieldRecord(recorded, c.name), i));
  return new Schema(fields, new Map(Object.entries(recorded?.metadata ?? {})));
}

function checkRange(source: ColumnSource, options: ExportOptions): { start: number; stop: number } {
  const start = options.start ?? 0;
  const stop = Math.min(options.stop ?? source.length, source.length);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(stop) || start < 0 || stop < 0) {
    throw new ColzError("ERR_BAD_ARGUMENT", `bad row range [${options.start}, ${options.stop})`);
  }
  return { start: Math.min(start, stop), stop };
}

/** Per-column conversion state for one export (dictionary encoders live across batches). */
export function exportStates(schema: Schema): ToVectorState[] {
  return schema.fields.map((f) =>
    f.type.typeId === Type.Dictionary ? { dictionary: new DictionaryEncoder(f.type as Dictionary) } : {},
  );
}

/**
 * Record batches of rows [start, stop) of `source`, one per scan step; at most one batch is
 * alive at a time unless the consumer keeps them.
 *
 * @example
 * for await (const batch of exportBatches(table, schema, columns)) writer.write(batch);
 */
export async function* exportBatches(
  source: ColumnSource,
  schema: Schema,
  columns: readonly ColumnSchema[],
  options: ExportOptions = {},
  states: ToVectorState[] = exportStates(schema),
): AsyncGenerator<RecordBatch> {
  const { start, stop } = checkRange(source, options);
  if (stop <= start) return;
  const names = columns.map((c) => c.name);
  const plan = await source.scanPlan(names, start, stop);
  const struct = new Struct(schema.fields);
  for (const step of plan) {
    const length = step.stop - step.start;
    if (length <= 0) continue;
    const children: Data[] = [];
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      const values = await source.readColumn(column.name, step.start, step.stop);
      if (values.length !== length) {
        throw new ColzError(
          "ERR_CORRUPT_CHUNK",
          `column ${JSON.stringify(column.name)} returned ${values.length} rows for ${length}`,
        );
      }
      children.push(columnData(values, column, schema.fields[i]!.type, states[i]));
    }
    yield new RecordBatch(schema, makeData({ type: struct, length, nullCount: 0, children }));
  }
}
