import { ColzError, MemoryStore, type Store } from "@colz/format";
import { type RecordBatch, type Schema, Table } from "apache-arrow";
import { VIEW_TYPES_NEED } from "./arrow/arrow-compat.js";
import {
  buildArrowSchema,
  type ExportOptions,
  exportBatches,
  exportStates,
  selectColumns,
} from "./arrow/export-batches.js";
import { type ArrowInput, batchValues, openBatches } from "./arrow/import-batches.js";
import {
  type IpcSink,
  type IpcSource,
  type IpcWriteOptions,
  type IpcWriteResult,
  openIPC,
  writeBatchesIPC,
} from "./arrow/ipc.js";
import { ARROW_SCHEMA_ATTR, type ArrowSchemaRecord, importSchema, parseSchemaRecord } from "./arrow/records.js";
import { CTable, type CTableCreateOptions } from "./ctable/ctable.js";
import type { ColumnSchema, ColumnSource } from "./types.js";

// `@colz/ctable/arrow`: Apache Arrow interop. apache-arrow (>= 21.1) is an optional peer
// dependency used only by this entry point. Tables move batch by batch: exports read one scan
// step (whole chunks) per record batch, imports append one record batch at a time.

export { hasViewTypes } from "./arrow/arrow-compat.js";
export type { ExportOptions } from "./arrow/export-batches.js";
export type { ArrowInput } from "./arrow/import-batches.js";
export type { IpcSink, IpcSource, IpcWriteOptions, IpcWriteResult, NodeWritableLike } from "./arrow/ipc.js";
export { registerArrowCodecs } from "./arrow/ipc-codecs.js";
export { type Lz4FrameOptions, lz4FrameDecode, lz4FrameEncode } from "./arrow/lz4-frame.js";
export { ARROW_SCHEMA_ATTR, type ArrowSchemaRecord } from "./arrow/records.js";
export {
  type ArrowFieldRecord,
  type ArrowTypeSpec,
  arrowFieldOf,
  arrowTypeFromSpec,
  arrowTypeSpec,
  columnOfArrowField,
  defaultArrowField,
} from "./arrow/type-mapping.js";
export { xxh32 } from "./arrow/xxhash32.js";

/** A table to export: any ColumnSource; a CTable's "arrow:schema" attribute refines the types. */
export type ArrowSourceTable = ColumnSource & { readonly attrs?: { get(key: string): unknown } };

/** Where fromArrow/readIPC create the table, and how (CTable.create's options, and the store). */
export interface FromArrowOptions extends Omit<CTableCreateOptions, "schema"> {
  /** The store to create the table in (default: a new MemoryStore). */
  store?: Store;
}

/** Options of writeIPC: which rows and columns, and the IPC format. */
export interface WriteIpcOptions extends ExportOptions, IpcWriteOptions {}

function schemaRecord(table: ArrowSourceTable): ArrowSchemaRecord | undefined {
  return parseSchemaRecord(table.attrs?.get(ARROW_SCHEMA_ATTR));
}

/**
 * The Arrow schema a table exports as: colz's type mapping (FORMAT.md §3; utf8/binary columns
 * as Utf8/Binary), refined by the Arrow types recorded when the table was imported.
 *
 * @example
 * arrowSchemaOf(table).fields.map(String); // ["id: Int64", "ts: Timestamp<MICROSECOND, UTC>"]
 */
export function arrowSchemaOf(table: ArrowSourceTable, options: Pick<ExportOptions, "columns"> = {}): Schema {
  return buildArrowSchema(selectColumns(table, options), schemaRecord(table));
}

/**
 * Record batches of a table, one per scan step (chunk aligned), produced lazily: the streaming
 * form of toArrow, for writers and pipelines that should not hold the whole table.
 *
 * @example
 * for await (const batch of recordBatches(table, { columns: ["ts", "price"] })) consume(batch);
 */
export function recordBatches(table: ArrowSourceTable, options: ExportOptions = {}): AsyncGenerator<RecordBatch> {
  const columns = selectColumns(table, options);
  const schema = buildArrowSchema(columns, schemaRecord(table));
  return exportBatches(table, schema, columns, options);
}

/**
 * Rows [start, stop) of some columns of a table as an apache-arrow Table. Value buffers are
 * the arrays the reads decompressed into, not copies; dictionary columns share one dictionary.
 *
 * @example
 * const arrowTable = await toArrow(table, { columns: ["sym", "price"], start: 0, stop: 1000 });
 */
export async function toArrow(table: ArrowSourceTable, options: ExportOptions = {}): Promise<Table> {
  const columns = selectColumns(table, options);
  const schema = buildArrowSchema(columns, schemaRecord(table));
  const states = exportStates(schema);
  const batches: RecordBatch[] = [];
  for await (const batch of exportBatches(table, schema, columns, options, states)) batches.push(batch);
  // Every batch got the dictionary as it was then; give them all the final one.
  states.forEach((state, i) => {
    if (state.dictionary === undefined) return;
    for (const batch of batches) batch.data.children[i]!.dictionary = state.dictionary.dictionary;
  });
  return new Table(schema, batches);
}

async function createFor(
  schema: Schema,
  options: FromArrowOptions,
  expectedlen?: number,
): Promise<{ table: CTable; columns: ColumnSchema[] }> {
  const { columns, record } = importSchema(schema);
  const { store = new MemoryStore(), ...rest } = options;
  const attrs = record === undefined ? rest.attrs : { ...rest.attrs, [ARROW_SCHEMA_ATTR]: record };
  const table = await CTable.create(store, columns, {
    ...rest,
    ...(attrs === undefined ? {} : { attrs }),
    ...(rest.expectedlen === undefined && expectedlen !== undefined && expectedlen > 0 ? { expectedlen } : {}),
  });
  return { table, columns };
}

/**
 * A CTable holding the contents of an Arrow table, RecordBatchReader or (async) iterable of
 * record batches, appended batch by batch and flushed. Arrow types map to colz columns
 * (see the README's table); what the mapping cannot say (LargeUtf8 vs Utf8, a timestamp's
 * time zone, Date64, Float16, dictionaries, field and schema metadata) is kept in the table
 * attribute "arrow:schema", so toArrow gives back the same Arrow schema.
 *
 * @example
 * const table = await fromArrow(tableFromIPC(bytes), { store: new DirectoryStore("/data/t") });
 */
export async function fromArrow(input: ArrowInput, options: FromArrowOptions = {}): Promise<CTable> {
  const source = await openBatches(input);
  const expectedlen = input instanceof Table ? input.numRows : undefined;
  let target = source.schema === undefined ? undefined : await createFor(source.schema, options, expectedlen);
  try {
    for await (const batch of source.batches) {
      target ??= await createFor(batch.schema, options);
      if (batch.numRows > 0) await target.table.append(batchValues(batch, target.columns));
    }
    if (target === undefined)
      throw new ColzError("ERR_BAD_ARGUMENT", "fromArrow: the input has no schema and no record batch");
    await target.table.flush();
    return target.table;
  } catch (e) {
    await target?.table.close().catch(() => undefined);
    throw e;
  }
}

/**
 * Writes a table as Arrow IPC, batch by batch, without materialising it: each record batch
 * (one scan step) is read, encoded and handed to the sink before the next is read.
 *
 * @example
 * await writeIPC(table, "/tmp/t.arrow", { format: "file", compression: "zstd" });
 * await writeIPC(table, process.stdout, { format: "stream", close: false });
 */
export async function writeIPC(
  table: ArrowSourceTable,
  sink: IpcSink,
  options: WriteIpcOptions = {},
): Promise<IpcWriteResult> {
  const columns = selectColumns(table, options);
  const schema = buildArrowSchema(columns, schemaRecord(table));
  return writeBatchesIPC(schema, exportBatches(table, schema, columns, options), sink, options);
}

/**
 * Reads Arrow IPC (file or stream format, LZ4_FRAME/ZSTD compressed or not) into a new
 * CTable, appending one record batch at a time.
 *
 * @example
 * const table = await readIPC("/tmp/t.arrow", { store, prefix: "t/" });
 * const fromHttp = await readIPC((await fetch(url)).body!);
 */
export async function readIPC(source: IpcSource, options: FromArrowOptions = {}): Promise<CTable> {
  let opened: Awaited<ReturnType<typeof openIPC>>;
  try {
    opened = await openIPC(source);
  } catch (e) {
    throw explainReadError(e);
  }
  try {
    return await fromArrow(opened.reader, options);
  } catch (e) {
    throw explainReadError(e);
  } finally {
    await opened.close();
  }
}

// apache-arrow < 21.2 fails on view types with "Unrecognized type: ... (23|24)".
function explainReadError(e: unknown): unknown {
  if (e instanceof Error && /Unrecognized type.*\((23|24)\)/.test(e.message)) {
    return new ColzError("ERR_UNSUPPORTED", `readIPC: ${VIEW_TYPES_NEED}`, { cause: e });
  }
  return e;
}
