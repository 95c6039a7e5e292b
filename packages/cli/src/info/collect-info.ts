import { opendir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { KeyStore } from "@colz/store/node";
import type { ReadableTable } from "../carray-table.js";
import type { PathInfo } from "../open-path.js";
import type { PlainJson } from "./plain-json.js";

/** One column in `info --json` (README "JSON output"). */
export interface ColumnInfo {
  name: string;
  dtype: string;
  /** "fixed", or the colz variable-length kinds "utf8" / "binary". */
  kind: string;
  nullable: boolean;
  /** shape[1:] of each row; [] for 1-D columns. */
  atomShape: number[];
  cname: string;
  clevel: number;
  shuffle: string;
  chunklen: number;
  chunks: number;
  nbytes: number;
  cbytes: number;
  ratio: number;
}

/** `info --json` of a ctable or carray. */
export interface TableInfo extends PathInfo {
  kind: "ctable" | "carray";
  rows: number;
  nbytes: number;
  cbytes: number;
  ratio: number;
  columns: ColumnInfo[];
  attrs: PlainJson;
}

/** `info --json` of a key store. */
export interface KeyStoreInfo extends PathInfo {
  kind: "keystore";
  /** The key store's own layout: one ZIP file per key, or one bcolz directory per key. */
  storeLayout: string;
  fanout: number;
  keys: number;
  /** Bytes of every file under the store directory (apparent sizes). */
  diskBytes: number;
  files: number;
  /** The first keys in listing order (at most 10). */
  sampleKeys: string[];
}

const SAMPLE_KEYS = 10;

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Everything `info` reports about a table (metadata only: no chunk is decompressed).
 *
 * @example
 * const info = tableInfo(await detectPath(p), table, attrs);
 */
export function tableInfo(path: PathInfo, table: ReadableTable, attrs: PlainJson): TableInfo {
  const columns = table.schema.map((s): ColumnInfo => {
    const a = table.column(s.name);
    return {
      name: s.name,
      dtype: s.kind === "fixed" ? s.dtype : s.kind,
      kind: s.kind,
      nullable: s.nullable,
      atomShape: [...s.atomShape],
      cname: a.cparams.cname,
      clevel: a.cparams.clevel,
      shuffle: a.cparams.shuffle,
      chunklen: a.chunklen,
      chunks: Math.ceil(a.length / a.chunklen),
      nbytes: a.nbytes,
      cbytes: a.cbytes,
      ratio: round(a.ratio),
    };
  });
  const nbytes = columns.reduce((s, c) => s + c.nbytes, 0);
  const cbytes = columns.reduce((s, c) => s + c.cbytes, 0);
  return {
    ...path,
    kind: path.kind as "ctable" | "carray",
    rows: table.length,
    nbytes,
    cbytes,
    ratio: cbytes === 0 ? 0 : round(nbytes / cbytes),
    columns,
    attrs,
  };
}

/** Total apparent size and count of the files under `dir`, walked one directory at a time. */
async function diskUsage(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  const todo = [dir];
  while (todo.length > 0) {
    const d = todo.pop()!;
    for await (const entry of await opendir(d)) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) todo.push(p);
      else if (entry.isFile()) {
        files++;
        bytes += (await stat(p)).size;
      }
    }
  }
  return { bytes, files };
}

/**
 * Everything `info` reports about a key store: keys are counted by listing (no value is opened).
 *
 * @example
 * const info = await keyStoreInfo(pathInfo, ks);
 */
export async function keyStoreInfo(path: PathInfo, store: KeyStore): Promise<KeyStoreInfo> {
  const marker = JSON.parse(await readFile(join(path.path, "colz-keystore.json"), "utf8")) as {
    layout?: string;
    fanout?: number;
  };
  const sampleKeys: string[] = [];
  let keys = 0;
  for await (const key of store.keys()) {
    if (keys < SAMPLE_KEYS) sampleKeys.push(key);
    keys++;
  }
  const { bytes, files } = await diskUsage(path.path);
  return {
    ...path,
    kind: "keystore",
    storeLayout: String(marker.layout ?? "zip"),
    fanout: Number(marker.fanout ?? 2),
    keys,
    diskBytes: bytes,
    files,
    sampleKeys,
  };
}
