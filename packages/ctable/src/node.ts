import { DirectoryStore, type Store, ZipStore } from "@colz/format/node";
import { CArray, type CArrayCreateOptions, type CArrayOpenOptions } from "./carray/carray.js";
import { CTable, type CTableCreateOptions, type CTableOpenOptions } from "./ctable/ctable.js";
import type { ColumnInput, ColumnSchema, ColumnSpec, JsValue, Mode, Row } from "./types.js";

export { closeScanWorkers, DirectoryStore, scanWorkerStats, ZipStore } from "@colz/format/node";
export * from "./index.js";

// Path-based helpers for Node: a path is a bcolz-compatible directory, or a single-file ZIP
// store when it ends in ".zip" or `layout: "zip"` is given. The store is opened in the mode the
// container needs (its writer lock is the directory's `.colz-lock` or `<file>.lock`, so a second
// writer, in any process, gets ERR_LOCKED after `waitMs`) and is closed with the table or array.

/** Where a path-based container lives. */
export interface PathOptions {
  /** "directory" (default) or "zip" (default when the path ends in ".zip"). */
  layout?: "directory" | "zip";
  /** fsync on commit (default true); false is for scratch data only. */
  sync?: boolean;
}

/**
 * Opens the store behind `path` for `mode` ('r' read-only, no lock; 'a' locked, created when
 * missing; 'w' locked and emptied).
 *
 * @example
 * const store = await openStore("/data/t.zip", "r");
 */
export async function openStore(
  path: string,
  mode: Mode,
  options: PathOptions & { waitMs?: number } = {},
): Promise<DirectoryStore | ZipStore> {
  const zip = options.layout === "zip" || (options.layout === undefined && path.toLowerCase().endsWith(".zip"));
  const opts = { mode, waitMs: options.waitMs, sync: options.sync };
  return zip ? ZipStore.open(path, opts) : DirectoryStore.open(path, opts);
}

async function withStore<T>(store: Store, fn: (store: Store) => Promise<T>): Promise<T> {
  try {
    return await fn(store);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}

/**
 * Opens the table at `path` (mode 'r' by default; 'a' appends and creates an empty table when
 * missing; 'w' replaces). Closing the table closes the store.
 *
 * @example
 * const t = await openTable("/data/prices.bcolz");
 * const t2 = await openTable("/data/prices.zip", { mode: "a", waitMs: 5000 });
 */
export async function openTable(path: string, options: CTableOpenOptions & PathOptions = {}): Promise<CTable> {
  const mode = options.mode ?? "r";
  const store = await openStore(path, mode, options);
  const table = await withStore(store, (s) => CTable.open(s, { ...options, mode }));
  table.closesStore = true;
  return table;
}

/**
 * Creates a table at `path` from `{name: column}` data, row objects or a schema. Mode 'a'
 * (default) refuses an existing container; 'w' replaces it.
 *
 * @example
 * const t = await createTable("/data/prices.bcolz", { price: new Float64Array([1, 2]), sym: ["A", "B"] });
 */
export async function createTable(
  path: string,
  columns?:
    | Record<string, ColumnInput>
    | ReadonlyMap<string, ColumnInput>
    | readonly ColumnSchema[]
    | readonly ColumnSpec[]
    | readonly Row[]
    | null,
  options: CTableCreateOptions & PathOptions = {},
): Promise<CTable> {
  const mode = options.mode ?? "a";
  const store = await openStore(path, mode, options);
  const table = await withStore(store, (s) => CTable.create(s, columns, { ...options, mode }));
  table.closesStore = true;
  return table;
}

/**
 * Opens the carray at `path` (mode 'r' by default, or 'a').
 *
 * @example
 * const a = await openArray("/data/close.bcolz");
 */
export async function openArray(path: string, options: CArrayOpenOptions & PathOptions = {}): Promise<CArray> {
  const mode = options.mode ?? "r";
  const store = await openStore(path, mode, options);
  const array = await withStore(store, (s) => CArray.open(s, { ...options, mode }));
  array.closesStore = true;
  return array;
}

/**
 * Creates a carray at `path` from data or a type (`{dtype: "float64"}`).
 *
 * @example
 * const a = await createArray("/data/close.bcolz", new Float64Array(1000));
 */
export async function createArray(
  path: string,
  input?: ColumnInput | Iterable<JsValue> | Omit<ColumnSpec, "name"> | null,
  options: CArrayCreateOptions & PathOptions = {},
): Promise<CArray> {
  const mode = options.mode ?? "a";
  const store = await openStore(path, mode, options);
  const array = await withStore(store, (s) => CArray.create(s, input, { ...options, mode }));
  array.closesStore = true;
  return array;
}
