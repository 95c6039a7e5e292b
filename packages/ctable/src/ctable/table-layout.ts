import {
  columnPrefix,
  commitCArrays,
  detectContainer,
  encodeAttrs,
  openCTableForAppend,
  type PyJsonValue,
  readAttrs,
  readRootdirs,
  type Store,
  writeRootdirs,
} from "@colz/format";
import { type ColumnCreateOptions, ColumnIO } from "../carray/column-io.js";
import { resizeColumns } from "../carray/resize.js";
import type { ColumnValues, Mode } from "../types.js";
import type { ColumnType } from "../values/column-type.js";
import type { NamedType } from "./table-input.js";

// The ctable protocol of FORMAT.md §8.3 on top of ColumnIO: creation (columns, then __attrs__,
// then __rootdirs__ last), opening (a writer first cuts columns an interrupted commit left
// longer), and column set changes (a new column is complete and committed before __rootdirs__
// lists it; a removed one is unlisted before its keys go).

/** The mutable state of an open table. */
export interface TableState {
  readonly store: Store;
  readonly prefix: string;
  readonly mode: Mode;
  readonly verifyChecksums: boolean | undefined;
  names: string[];
  ios: Map<string, ColumnIO>;
}

/** Creation options of each column. */
export type ColumnOptionsOf = (name: string) => ColumnCreateOptions;

/**
 * Deletes every key under a column's prefix: a removed column, or an orphan left by a crashed
 * creation or rename (only when it holds a carray, so unrelated files are never touched).
 */
async function clearColumn(store: Store, prefix: string, onlyOrphanCArray = false): Promise<void> {
  if (onlyOrphanCArray && (await detectContainer(store, prefix)) === undefined) return;
  const keys = await store.list(prefix);
  for (const k of keys) await store.delete(k);
  if (keys.length > 0) await store.commit();
}

/**
 * Creates an empty ctable: every column as empty carrays (committed), the table `__attrs__`, a
 * commit, then `__rootdirs__` and a commit. Orphan column keys from a crashed earlier creation
 * are removed first (the table does not exist until `__rootdirs__` does).
 *
 * @example
 * await createTableLayout(store, "", [{ name: "id", type }], () => ({}), {});
 */
export async function createTableLayout(
  store: Store,
  prefix: string,
  columns: readonly NamedType[],
  optionsOf: ColumnOptionsOf,
  attrs: { readonly [key: string]: unknown },
): Promise<void> {
  const attrsBytes = encodeAttrs(attrs);
  for (const { name, type } of columns) {
    const p = columnPrefix(prefix, name);
    await clearColumn(store, p, true);
    await ColumnIO.create(store, p, type, optionsOf(name));
  }
  await store.set(`${prefix}__attrs__`, attrsBytes);
  await store.commit();
  await writeRootdirs(
    store,
    prefix,
    columns.map((c) => c.name),
  );
}

/**
 * Opens the table's columns. Writers first cut columns left longer by an interrupted commit
 * (openCTableForAppend); readers clamp every column to the shortest (the table length).
 *
 * @example
 * const { names, ios, attrs } = await openTableColumns(store, "", "r", true);
 */
export async function openTableColumns(
  store: Store,
  prefix: string,
  mode: Mode,
  verifyChecksums: boolean | undefined,
): Promise<{ names: string[]; ios: Map<string, ColumnIO>; attrs: { [key: string]: PyJsonValue }; lengths: number[] }> {
  const writable = mode !== "r";
  const names = writable ? (await openCTableForAppend(store, prefix)).names : await readRootdirs(store, prefix);
  const ios = new Map<string, ColumnIO>();
  for (const n of names) ios.set(n, await ColumnIO.open(store, columnPrefix(prefix, n), { writable, verifyChecksums }));
  const lengths = names.map((n) => ios.get(n)!.length);
  if (!writable && lengths.length > 0) {
    const length = Math.min(...lengths);
    for (const io of ios.values()) io.limit(length);
  }
  return { names, ios, attrs: await readAttrs(store, prefix), lengths };
}

/**
 * Adds a complete column: created, filled to `length` rows (with `values`, or filler) and
 * committed, then listed in `__rootdirs__`.
 *
 * @example
 * await addTableColumn(state, "flag", type, undefined, 100, {});
 */
export async function addTableColumn(
  state: TableState,
  name: string,
  type: ColumnType,
  values: ColumnValues | undefined,
  length: number,
  options: ColumnCreateOptions,
): Promise<ColumnIO> {
  const { store, prefix } = state;
  const p = columnPrefix(prefix, name);
  await clearColumn(store, p, true);
  await ColumnIO.create(store, p, type, { ...options, expectedlen: options.expectedlen ?? length });
  const io = await ColumnIO.open(store, p, { writable: true, verifyChecksums: state.verifyChecksums });
  if (values !== undefined) {
    await io.append(values);
    await io.flushChunks();
    await commitCArrays(store, io.commitEntries());
    await io.afterCommit();
  } else {
    await resizeColumns([io], length);
  }
  await writeRootdirs(store, prefix, [...state.names, name]);
  state.names = [...state.names, name];
  state.ios.set(name, io);
  return io;
}

/**
 * Removes a column: `__rootdirs__` first (committed), then its keys.
 *
 * @example
 * await removeTableColumn(state, "flag");
 */
export async function removeTableColumn(state: TableState, name: string): Promise<void> {
  const names = state.names.filter((n) => n !== name);
  await writeRootdirs(state.store, state.prefix, names);
  state.names = names;
  state.ios.delete(name);
  await clearColumn(state.store, columnPrefix(state.prefix, name));
}

/**
 * Renames a committed column: its keys are copied to the new name and committed, `__rootdirs__`
 * names the copy (committed), then the old keys are deleted. A crash leaves either name complete;
 * the other is an orphan directory that readers ignore.
 *
 * @example
 * await renameTableColumn(state, "px", "price");
 */
export async function renameTableColumn(state: TableState, from: string, to: string): Promise<ColumnIO> {
  const { store, prefix } = state;
  const src = columnPrefix(prefix, from);
  const dst = columnPrefix(prefix, to);
  await clearColumn(store, dst, true);
  const keys = await store.list(src);
  for (const k of keys) {
    const v = await store.get(k);
    if (v !== undefined) await store.set(dst + k.slice(src.length), v);
  }
  await store.commit();
  const names = state.names.map((n) => (n === from ? to : n));
  await writeRootdirs(store, prefix, names);
  await clearColumn(store, src);
  const io = await ColumnIO.open(store, dst, { writable: state.mode !== "r", verifyChecksums: state.verifyChecksums });
  state.names = names;
  state.ios.delete(from);
  state.ios.set(to, io);
  return io;
}
