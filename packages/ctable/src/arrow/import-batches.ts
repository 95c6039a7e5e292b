import { ColzError } from "@colz/format";
import { type RecordBatch, RecordBatchReader, type Schema, Table } from "apache-arrow";
import type { ColumnSchema, ColumnValues } from "../types.js";
import { valuesOfData } from "./from-vector.js";

// Arrow -> colz, batch by batch: whatever the input (a Table, a RecordBatchReader, any sync or
// async iterable of record batches), it is consumed one batch at a time.

/** Everything fromArrow accepts. */
export type ArrowInput =
  | Table
  | RecordBatchReader
  | Iterable<RecordBatch>
  | AsyncIterable<RecordBatch>
  | Promise<RecordBatchReader>;

/** The input as a schema (when known up front) and an async iterable of its batches. */
export async function openBatches(
  input: ArrowInput,
): Promise<{ schema?: Schema; batches: AsyncIterable<RecordBatch> }> {
  const src = await input;
  // A Table from another copy of apache-arrow fails `instanceof`; recognise it by shape, or
  // its rows would be iterated as if they were batches.
  if (src instanceof Table || isTableLike(src)) {
    const table = src as Table;
    return { schema: table.schema, batches: toAsync(table.batches) };
  }
  if (src instanceof RecordBatchReader) {
    // open() reads the schema message (and, for files, the footer) before any batch.
    const reader = (await src.open()) as RecordBatchReader;
    return { schema: reader.schema, batches: toAsync(reader as Iterable<RecordBatch> | AsyncIterable<RecordBatch>) };
  }
  if (src !== null && typeof src === "object" && (Symbol.asyncIterator in src || Symbol.iterator in src)) {
    return { batches: toAsync(src as Iterable<RecordBatch> | AsyncIterable<RecordBatch>) };
  }
  throw new ColzError(
    "ERR_BAD_ARGUMENT",
    "fromArrow takes an arrow Table, a RecordBatchReader or an iterable of RecordBatches",
  );
}

function isTableLike(src: unknown): boolean {
  if (src === null || typeof src !== "object") return false;
  const t = src as { batches?: unknown; schema?: { fields?: unknown } };
  return Array.isArray(t.batches) && Array.isArray(t.schema?.fields);
}

async function* toAsync(src: Iterable<RecordBatch> | AsyncIterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  yield* src;
}

/**
 * The colz values of every column of one batch, keyed by column name. The batch's schema must
 * list the same fields in the same order as the one the columns were made from.
 */
export function batchValues(batch: RecordBatch, columns: readonly ColumnSchema[]): Record<string, ColumnValues> {
  const fields = batch.schema.fields;
  if (fields.length !== columns.length || fields.some((f, i) => f.name !== columns[i]!.name)) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `record batch fields [${fields.map((f) => f.name).join(", ")}] differ from the table's [${columns.map((c) => c.name).join(", ")}]`,
    );
  }
  const out: Record<string, ColumnValues> = {};
  const children = batch.data.children;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const data = children[i]!;
    if (data.nullCount > 0 && !column.nullable) {
      throw new ColzError(
        "ERR_BAD_ARGUMENT",
        `column ${JSON.stringify(column.name)} is not nullable but the batch has nulls`,
      );
    }
    out[column.name] = valuesOfData(data, column);
  }
  return out;
}
