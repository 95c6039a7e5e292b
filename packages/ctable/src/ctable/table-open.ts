import { ColzError, detectContainer, type PyJsonValue, type Store, type WriterLock } from "@colz/format";
import type { ColumnCreateOptions } from "../carray/column-io.js";
import { badArgument, where } from "../errors.js";
import type { ColumnValues, Mode } from "../types.js";
import { containerPrefix, prepareCreate, wipePrefix } from "../util/prefix.js";
import type { CTableCreateOptions, CTableOpenOptions, TableInput } from "./options.js";
import { parseTableInput } from "./table-input.js";
import { createTableLayout, openTableColumns, type TableState } from "./table-layout.js";

// Creating and opening tables on a Store: mode handling, the writer lock (taken for 'a' and 'w',
// never for 'r') and the layout. The lock is released again when anything fails.

/** An opened table's state, as the CTable constructor takes it. */
export interface OpenedTable {
  state: TableState;
  attrs: { [key: string]: PyJsonValue };
  lock: WriterLock | undefined;
  lengths: number[];
}

async function load(
  store: Store,
  prefix: string,
  mode: Mode,
  lock: WriterLock | undefined,
  verifyChecksums: boolean | undefined,
): Promise<OpenedTable> {
  const { names, ios, attrs, lengths } = await openTableColumns(store, prefix, mode, verifyChecksums);
  return { state: { store, prefix, mode, verifyChecksums, names, ios }, attrs, lock, lengths };
}

/**
 * Creates the table's layout (columns empty) under the writer lock and opens it for writing; the
 * initial data, converted and checked before anything was written, is returned for appending.
 *
 * @example
 * const { opened, data } = await createTable(store, { x: [1, 2] }, {});
 */
export async function createTable(
  store: Store,
  columns: TableInput | null | undefined,
  options: CTableCreateOptions,
): Promise<{ opened: OpenedTable; data: Record<string, ColumnValues> | undefined }> {
  const prefix = containerPrefix(options.prefix);
  const what = `ctable ${where(store, prefix)}`;
  const mode = options.mode ?? "a";
  if (mode !== "a" && mode !== "w")
    throw badArgument(`CTable.create: mode must be "a" or "w", got ${JSON.stringify(mode)}`);
  const parsed = parseTableInput(columns, options.schema, what);
  const lock = await store.lock({ waitMs: options.waitMs });
  try {
    await prepareCreate(store, prefix, mode);
    const length = parsed.data === undefined ? 0 : (Object.values(parsed.data)[0]?.length ?? 0);
    const optionsOf = (name: string): ColumnCreateOptions => ({
      chunklen: options.chunklen,
      expectedlen: options.expectedlen ?? (length > 0 ? length : undefined),
      cparams: options.cparams,
      chunkStats: options.chunkStats,
      valuesChunklen: options.valuesChunklen,
      ...options.columnOptions?.[name],
    });
    await createTableLayout(store, prefix, parsed.columns, optionsOf, options.attrs ?? {});
    const opened = await load(store, prefix, mode, lock, undefined);
    return { opened, data: length > 0 ? parsed.data : undefined };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/**
 * Opens the table at `options.prefix` in its mode ('a' creates an empty table when there is
 * none, 'w' replaces what is there with one).
 *
 * @example
 * const opened = await openTable(store, { mode: "a" });
 */
export async function openTable(store: Store, options: CTableOpenOptions): Promise<OpenedTable> {
  const prefix = containerPrefix(options.prefix);
  const mode = options.mode ?? "r";
  if (mode !== "r" && mode !== "a" && mode !== "w") throw badArgument(`unknown mode ${JSON.stringify(mode)}`);
  const lock = mode === "r" ? undefined : await store.lock({ waitMs: options.waitMs });
  try {
    if (mode === "w") await wipePrefix(store, prefix);
    const kind = await detectContainer(store, prefix);
    if (kind === "carray") {
      throw new ColzError(
        "ERR_NOT_A_CONTAINER",
        `cannot open ${where(store, prefix)} as a ctable: it holds a carray (use CArray.open)`,
      );
    }
    if (kind === undefined) {
      if (mode === "r") throw new ColzError("ERR_NOT_A_CONTAINER", `${where(store, prefix)} holds no ctable`);
      await createTableLayout(store, prefix, [], () => ({}), {});
    }
    return await load(store, prefix, mode, lock, options.verifyChecksums);
  } catch (e) {
    await lock?.release();
    throw e;
  }
}
