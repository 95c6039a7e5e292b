import { open as openFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { type CArray, type CTable, isColzError } from "@colz/ctable";
import { openArray, openStore, openTable } from "@colz/ctable/node";
import { detectContainer, readRootdirs, type Store } from "@colz/format";
import { KeyStore, MARKER_NAME } from "@colz/store/node";
import { carrayAsTable, type ReadableTable } from "./carray-table.js";
import { CliError } from "./errors.js";

/** What lives at a path. */
export interface PathInfo {
  path: string;
  kind: "ctable" | "carray" | "keystore";
  /** A directory (bcolz's layout, and every key store) or one ZIP file. */
  layout: "directory" | "zip";
  /** "colz" when any column carries colz extensions (meta/colz), else plain "bcolz". Key stores: "colz". */
  flavor: "colz" | "bcolz";
}

/** An opened container; `table` presents carrays and ctables alike. */
export type Readable =
  | { kind: "ctable"; info: PathInfo; table: CTable }
  | { kind: "carray"; info: PathInfo; array: CArray; table: ReadableTable }
  | { kind: "keystore"; info: PathInfo; store: KeyStore };

const ZIP_MAGIC = [0x50, 0x4b]; // "PK": local header, or an empty archive's end record

function notFound(path: string): CliError {
  return new CliError("ERR_NOT_FOUND", "no such file or directory", { path });
}

function notAContainer(path: string, why: string): CliError {
  return new CliError("ERR_NOT_A_CONTAINER", `not a colz/bcolz container (${why})`, { path });
}

async function startsWithZipMagic(path: string): Promise<boolean> {
  const fh = await openFile(path, "r");
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && ZIP_MAGIC.every((b, i) => head[i] === b);
  } finally {
    await fh.close();
  }
}

async function hasColzMarker(store: Store, kind: "ctable" | "carray"): Promise<boolean> {
  if (kind === "carray") return store.has("meta/colz");
  const names = await readRootdirs(store, "");
  const marks = await Promise.all(names.map((n) => store.has(`${n}/meta/colz`)));
  return marks.some(Boolean);
}

/** Turns a library error met while opening `path` into the CLI's one-line failure. */
function openFailure(path: string, error: unknown): unknown {
  if (error instanceof CliError) return error;
  if (isColzError(error) && (error.code === "ERR_NOT_A_CONTAINER" || error.code === "ERR_NOT_FOUND")) {
    return notAContainer(path, error.message);
  }
  return error;
}

/**
 * Tells what `path` is without opening it for reading data: a key store (a directory with
 * `colz-keystore.json`), a ctable or carray in a directory or in a ZIP file, and whether colz
 * extensions are present. A missing path is ERR_NOT_FOUND, anything else ERR_NOT_A_CONTAINER,
 * both naming the path (exit 1).
 *
 * @example
 * await detectPath("prices.bcolz"); // { kind: "ctable", layout: "directory", flavor: "bcolz", ... }
 */
export async function detectPath(path: string): Promise<PathInfo> {
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT" || e.code === "ENOTDIR") throw notFound(path);
    throw e;
  });
  let layout: PathInfo["layout"];
  if (st.isDirectory()) {
    const marker = await stat(join(path, MARKER_NAME)).catch(() => undefined);
    if (marker?.isFile()) return { path, kind: "keystore", layout: "directory", flavor: "colz" };
    layout = "directory";
  } else if (st.isFile()) {
    if (!(await startsWithZipMagic(path))) throw notAContainer(path, "neither a directory nor a ZIP file");
    layout = "zip";
  } else {
    throw notAContainer(path, "neither a directory nor a ZIP file");
  }
  let store: Store;
  try {
    store = await openStore(path, "r", { layout });
  } catch (e) {
    throw openFailure(path, e);
  }
  try {
    const kind = await detectContainer(store, "");
    if (kind === undefined) throw notAContainer(path, "no __rootdirs__, meta/sizes or meta/storage");
    const flavor = (await hasColzMarker(store, kind)) ? "colz" : "bcolz";
    return { path, kind, layout, flavor };
  } finally {
    await store.close().catch(() => undefined);
  }
}

/**
 * The column name a lone carray gets as a one-column table: its directory or file name without
 * extension, or `value` when that is empty.
 *
 * @example
 * carrayColumnName("/data/close.bcolz"); // "close"
 */
export function carrayColumnName(path: string): string {
  const base = basename(path.replace(/[/\\]+$/, "")).replace(/\.(bcolz|zip)$/i, "");
  return base === "" || base === "." || base === ".." ? "value" : base;
}

/**
 * Opens `path` read-only (see detectPath for what it may be). Close what it returns
 * (`table.close()`, `store.close()`).
 *
 * @example
 * const r = await openReadable("prices.zip");
 * if (r.kind !== "keystore") console.log(r.table.length);
 */
export async function openReadable(path: string): Promise<Readable> {
  const info = await detectPath(path);
  try {
    if (info.kind === "keystore") return { kind: "keystore", info, store: await KeyStore.open(path, { mode: "r" }) };
    if (info.kind === "ctable") return { kind: "ctable", info, table: await openTable(path, { layout: info.layout }) };
    const array = await openArray(path, { layout: info.layout });
    return { kind: "carray", info, array, table: carrayAsTable(array, carrayColumnName(path)) };
  } catch (e) {
    throw openFailure(path, e);
  }
}

/**
 * Opens `path` as a table (ctable, or a carray as one column); a key store is ERR_NOT_A_CONTAINER
 * with a hint to use `colz store`.
 *
 * @example
 * const { table, info } = await openReadableTable("prices.bcolz");
 */
export async function openReadableTable(path: string): Promise<{ info: PathInfo; table: ReadableTable }> {
  const r = await openReadable(path);
  if (r.kind === "keystore") {
    await r.store.close();
    throw new CliError("ERR_NOT_A_CONTAINER", "is a key store; use `colz store get STORE KEY`", { path });
  }
  return { info: r.info, table: r.table };
}
