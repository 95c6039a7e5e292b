import type { ColumnInput, ColumnSchema, ColumnSource, ColumnValues, CTableCreateOptions } from "@colz/ctable";
import { CTable } from "@colz/ctable";
import { ColzError, parseDtype, type Store } from "@colz/format";

/**
 * What `KeyStore.set` accepts as a value:
 * - `{ name: values }`: columns (typed arrays, plain arrays, ColumnValues), as for `CTable.create`;
 * - an array of row objects, or a schema (`ColumnSchema[]`: an empty table with those columns);
 * - a CTable, or anything with `length`, `schema` and `readColumn` (a ColumnSource): copied;
 * - an apache-arrow `Table`: converted with `@colz/ctable/arrow` (loaded only then).
 */
export type KeyValue = Record<string, ColumnInput> | TableArray | CopySource | ArrowTableLike;

/** What `CTable.create` takes as an array: a schema or row objects. */
export type TableArray = NonNullable<Exclude<Parameters<typeof CTable.create>[1], Record<string, ColumnInput>>>;

/** The part of a table that copying needs (CTable has it); `attrs` are copied when present. */
export type CopySource = Pick<ColumnSource, "length" | "schema" | "readColumn"> & {
  readonly attrs?: { toJSON(): { [key: string]: unknown } };
};

/** Recognised by shape, so that apache-arrow is only imported when such a value arrives. */
export interface ArrowTableLike {
  readonly schema: { readonly fields: readonly unknown[] };
  readonly batches: readonly unknown[];
  getChildAt(index: number): unknown;
}

/** Per-set table options: cparams, chunklen, expectedlen, chunkStats, attrs, schema, columnOptions. */
export type ValueOptions = Omit<CTableCreateOptions, "mode" | "prefix" | "waitMs">;

/** Copies tables in slices of about this many bytes, so a large table never sits in memory whole. */
const COPY_SLICE_BYTES = 64 << 20;

/**
 * Writes `value` as a complete ctable at `prefix` of `store` (flushed and closed).
 *
 * @example
 * await writeValue(memoryStore, "", { price: new Float64Array([1, 2]) }, { cparams: { cname: "lz4" } });
 */
export async function writeValue(store: Store, prefix: string, value: KeyValue, options: ValueOptions): Promise<void> {
  // The prefix is always fresh: the default create mode only checks that nothing is there.
  const create = { ...options, prefix };
  if (isArrowTable(value)) {
    await writeArrow(store, prefix, value, options);
    return;
  }
  if (isCopySource(value)) {
    await copyTable(store, value, create);
    return;
  }
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      "set(): the value must be an object of columns, a schema array, a CTable or an Arrow Table",
    );
  }
  const table = await CTable.create(store, value as Record<string, ColumnInput> | TableArray, create);
  await finish(table);
}

/** True for an apache-arrow Table (by shape: no import needed to tell). */
export function isArrowTable(v: unknown): v is ArrowTableLike {
  const t = v as Partial<ArrowTableLike> | null;
  return (
    typeof t === "object" &&
    t !== null &&
    typeof t.getChildAt === "function" &&
    Array.isArray(t.batches) &&
    Array.isArray(t.schema?.fields)
  );
}

/** True for a CTable or any other ColumnSource. */
export function isCopySource(v: unknown): v is CopySource {
  const t = v as Partial<CopySource> | null;
  return (
    typeof t === "object" &&
    t !== null &&
    !Array.isArray(t) &&
    typeof t.readColumn === "function" &&
    typeof t.length === "number" &&
    Array.isArray(t.schema)
  );
}

async function copyTable(store: Store, source: CopySource, options: CTableCreateOptions): Promise<void> {
  const schema = source.schema;
  const attrs = options.attrs ?? source.attrs?.toJSON();
  const table = await CTable.create(store, schema, { expectedlen: source.length, ...options, attrs });
  try {
    const step = Math.max(1, Math.floor(COPY_SLICE_BYTES / rowBytes(schema)));
    for (let start = 0; start < source.length; start += step) {
      const stop = Math.min(source.length, start + step);
      const columns: Record<string, ColumnValues> = {};
      for (const column of schema) columns[column.name] = await source.readColumn(column.name, start, stop);
      await table.append(columns);
    }
  } catch (e) {
    await table.close().catch(() => undefined);
    throw e;
  }
  await finish(table);
}

async function writeArrow(store: Store, prefix: string, value: ArrowTableLike, options: ValueOptions): Promise<void> {
  let arrowModule: typeof import("@colz/ctable/arrow");
  try {
    arrowModule = await import("@colz/ctable/arrow");
  } catch (e) {
    throw new ColzError("ERR_UNSUPPORTED", "set(): storing an Arrow Table needs apache-arrow installed", { cause: e });
  }
  const table = await arrowModule.fromArrow(value as never, { ...options, store, prefix });
  await finish(table);
}

async function finish(table: CTable): Promise<void> {
  try {
    await table.flush();
  } finally {
    await table.close();
  }
}

/** Bytes per row of a schema (variable-length columns counted as 64). */
function rowBytes(schema: readonly ColumnSchema[]): number {
  let bytes = 0;
  for (const c of schema) {
    const atoms = c.atomShape.reduce((a, b) => a * b, 1);
    bytes += c.kind === "fixed" ? parseDtype(c.dtype).itemsize * atoms : 64;
    if (c.nullable) bytes += 1;
  }
  return Math.max(1, bytes);
}
