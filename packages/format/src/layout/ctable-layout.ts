import { ColzError } from "../errors.js";
import type { Store } from "../store/types.js";
import { encodeAttrs, parseAttrs } from "./carray-meta.js";
import { CArrayReader, type CArrayReaderOptions, describe } from "./carray-reader.js";
import { type CArrayCreateOptions, CArrayWriter, commitCArrays } from "./carray-writer.js";
import { encodePyJsonFile, PyFloat, type PyJsonValue, parsePyJson } from "./json.js";
import { getMetaFile, META_LIMITS } from "./meta-io.js";
import { checkPrefix, checkSegment } from "./prefix.js";

// A ctable is a set of carrays of equal length: "__rootdirs__" ({"names": [...]}) lists the
// columns in order, "__attrs__" holds table attributes, column <name> lives at "<prefix><name>/".
//
// Length rule: colz commits every column's chunks, then every column's meta/sizes, so a crash in
// between can leave some columns longer than others (never shorter than the last committed
// length). Readers use the minimum column length; writers cut longer columns back to it when they
// open the table for appending (`openCTableForAppend`). bcolz itself uses the first column's length.

/** Names that collide with the files of a ctable root in a directory store. */
const RESERVED_NAMES = new Set(["__rootdirs__", "__attrs__"]);

export type ContainerKind = "carray" | "ctable";

/**
 * Tells what lives at `prefix` the way `bcolz.open` does: "ctable" when `__rootdirs__` exists,
 * "carray" when `meta/sizes` or `meta/storage` does, undefined otherwise.
 *
 * @example
 * await detectContainer(store, ""); // "ctable"
 */
export async function detectContainer(store: Store, prefix: string): Promise<ContainerKind | undefined> {
  checkPrefix(prefix);
  if (await store.has(`${prefix}__rootdirs__`)) return "ctable";
  const [sizes, storage] = await Promise.all([store.has(`${prefix}meta/sizes`), store.has(`${prefix}meta/storage`)]);
  return sizes || storage ? "carray" : undefined;
}

/**
 * Throws ERR_BAD_KEY unless `name` can be a column: any non-empty string that is one valid key
 * segment (no '/', NUL or backslash, no leading '.') and not "__rootdirs__" or "__attrs__".
 * bcolz requires Python identifiers; colz is more permissive, bcolz still reads them.
 *
 * @example
 * validateColumnName("price"); // ok
 */
export function validateColumnName(name: string): void {
  checkSegment(name, "column name");
  if (RESERVED_NAMES.has(name)) throw new ColzError("ERR_BAD_KEY", `column name ${JSON.stringify(name)} is reserved`);
  // Dot-names belong to stores and other tools (lock and temp files, "._*", ".DS_Store"): the
  // directory store refuses them and every backend's list() hides them.
  if (name.startsWith(".")) throw new ColzError("ERR_BAD_KEY", `column name ${JSON.stringify(name)} starts with '.'`);
}

/**
 * The prefix of column `name` of the ctable at `prefix`.
 *
 * @example
 * columnPrefix("t/", "price"); // "t/price/"
 */
export function columnPrefix(prefix: string, name: string): string {
  validateColumnName(name);
  return `${prefix}${name}/`;
}

/**
 * Parses `__rootdirs__`: `{"names": [...]}` of distinct valid column names. Malformed JSON or
 * content is ERR_CORRUPT_META naming `key`.
 *
 * @example
 * parseRootdirs(bytes, "__rootdirs__"); // ["id", "price", "sym", "flag"]
 */
export function parseRootdirs(bytes: Uint8Array, key: string): string[] {
  const v = parsePyJson(bytes, key);
  const names =
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat) ? v.names : undefined;
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
    throw new ColzError("ERR_CORRUPT_META", `${key}: must be {"names": [list of column names]}`);
  }
  const out = names as string[];
  for (const n of out) {
    try {
      validateColumnName(n);
    } catch (e) {
      throw new ColzError("ERR_CORRUPT_META", `${key}: ${(e as Error).message}`, { cause: e });
    }
  }
  if (new Set(out).size !== out.length) throw new ColzError("ERR_CORRUPT_META", `${key}: duplicate column names`);
  return out;
}

/**
 * The bytes of `__rootdirs__`.
 *
 * @example
 * encodeRootdirs(["id", "price"]); // '{"names": ["id", "price"]}\n'
 */
export function encodeRootdirs(names: readonly string[]): Uint8Array {
  for (const n of names) validateColumnName(n);
  if (new Set(names).size !== names.length) throw new ColzError("ERR_BAD_ARGUMENT", "duplicate column names");
  return encodePyJsonFile({ names: [...names] });
}

/**
 * The column names of the ctable at `prefix`; ERR_NOT_A_CONTAINER when there is no `__rootdirs__`.
 *
 * @example
 * await readRootdirs(store, ""); // ["id", "price"]
 */
export async function readRootdirs(store: Store, prefix: string): Promise<string[]> {
  checkPrefix(prefix);
  const key = `${prefix}__rootdirs__`;
  const bytes = await getMetaFile(store, key, META_LIMITS.rootdirs);
  if (bytes === undefined)
    throw new ColzError("ERR_NOT_A_CONTAINER", `${describe(store, prefix)} is not a ctable: ${key} is missing`);
  return parseRootdirs(bytes, key);
}

/**
 * Replaces the column list and commits: the last step when the column set changes (after the
 * new columns are complete and committed), so a crash never lists a half-written column.
 *
 * @example
 * await writeRootdirs(store, "", ["id", "price", "new"]);
 */
export async function writeRootdirs(store: Store, prefix: string, names: readonly string[]): Promise<void> {
  checkPrefix(prefix);
  const bytes = encodeRootdirs(names);
  await store.commit();
  await store.set(`${prefix}__rootdirs__`, bytes);
  await store.commit();
}

/**
 * The `__attrs__` of the carray or ctable at `prefix` ({} when missing or empty).
 *
 * @example
 * await readAttrs(store, ""); // { note: "ctable vector" }
 */
export async function readAttrs(store: Store, prefix: string): Promise<{ [key: string]: PyJsonValue }> {
  checkPrefix(prefix);
  const key = `${prefix}__attrs__`;
  return parseAttrs(await store.get(key), key);
}

/**
 * Replaces `__attrs__` atomically and commits.
 *
 * @example
 * await writeAttrs(store, "", { note: "prices" });
 */
export async function writeAttrs(
  store: Store,
  prefix: string,
  attrs: { readonly [key: string]: unknown },
): Promise<void> {
  checkPrefix(prefix);
  const bytes = encodeAttrs(attrs);
  await store.set(`${prefix}__attrs__`, bytes);
  await store.commit();
}

/** An opened ctable: its columns in order and its length. */
export interface CTableLayout {
  names: string[];
  columns: CArrayReader[];
  /** Every column's own length, in column order. */
  lengths: number[];
  /** The table length: the minimum column length (0 for no columns). */
  length: number;
  attrs: { [key: string]: PyJsonValue };
}

/**
 * Opens the ctable at `prefix`: its column list, every column's reader and the table attrs.
 * Directories not listed in `__rootdirs__` are ignored. Columns of different lengths (a crash
 * between sizes commits, or bcolz's own hazards) are clamped to the shortest.
 *
 * @example
 * const t = await openCTable(store, "");
 * const prices = await t.columns[t.names.indexOf("price")]!.readRows(0, t.length);
 */
export async function openCTable(
  store: Store,
  prefix: string,
  options: CArrayReaderOptions = {},
): Promise<CTableLayout> {
  const names = await readRootdirs(store, prefix);
  const [columns, attrs] = await Promise.all([
    Promise.all(names.map((n) => CArrayReader.open(store, columnPrefix(prefix, n), options))),
    readAttrs(store, prefix),
  ]);
  const lengths = columns.map((c) => c.length);
  const length = lengths.length === 0 ? 0 : Math.min(...lengths);
  return { names, columns, lengths, length, attrs };
}

/** One column of a new ctable. */
export interface CTableColumnSpec extends CArrayCreateOptions {
  name: string;
}

/**
 * Creates an empty ctable: each column as an empty carray (committed), then the table
 * `__attrs__`, then `__rootdirs__` last, so a crash leaves either no ctable or a complete one.
 * An existing ctable at `prefix` is ERR_BAD_ARGUMENT.
 *
 * @example
 * const writers = await createCTable(store, "", [{ name: "id", dtype: "int64" }, { name: "price", dtype: "float64" }]);
 */
export async function createCTable(
  store: Store,
  prefix: string,
  columns: readonly CTableColumnSpec[],
  attrs: { readonly [key: string]: unknown } = {},
): Promise<CArrayWriter[]> {
  checkPrefix(prefix);
  const names = columns.map((c) => c.name);
  const rootdirs = encodeRootdirs(names);
  const attrsBytes = encodeAttrs(attrs);
  const existing = await detectContainer(store, prefix);
  if (existing !== undefined) {
    throw new ColzError("ERR_BAD_ARGUMENT", `${describe(store, prefix)} already holds a ${existing}`);
  }
  const writers: CArrayWriter[] = [];
  for (const { name, ...options } of columns)
    writers.push(await CArrayWriter.create(store, columnPrefix(prefix, name), options));
  await store.set(`${prefix}__attrs__`, attrsBytes);
  await store.commit();
  await store.set(`${prefix}__rootdirs__`, rootdirs);
  await store.commit();
  return writers;
}

/**
 * Opens every column of the ctable at `prefix` for writing at the table length, first cutting
 * columns left longer by an interrupted commit back to the shortest one (rewriting only their
 * meta/sizes). Returns the writers in column order and the length.
 *
 * @example
 * const { writers, length } = await openCTableForAppend(store, "");
 */
export async function openCTableForAppend(
  store: Store,
  prefix: string,
): Promise<{ names: string[]; writers: CArrayWriter[]; length: number }> {
  const names = await readRootdirs(store, prefix);
  const writers = await Promise.all(names.map((n) => CArrayWriter.open(store, columnPrefix(prefix, n))));
  const length = writers.length === 0 ? 0 : Math.min(...writers.map((w) => w.length));
  const longer = writers.filter((w) => w.length > length);
  if (longer.length > 0)
    await commitCArrays(
      store,
      longer.map((w) => [w, length] as const),
    );
  return { names, writers, length };
}
