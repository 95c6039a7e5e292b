import { ColzError } from "@colz/format";

// Names inside a key store, shared by every backend (see README "On-disk layout"):
//
//   colz-keystore.json        marker: format, version, layout, fanout
//   colz-keystore.wal         last pointer operation (dir layout and Store backend), for recovery
//   <bucket>/<stem>.zip       zip layout: the key's value, one ZIP file (a colz ZipStore)
//   <bucket>/<stem>.ptr       dir layout: pointer naming the current version directory
//   <bucket>/<stem>.v<token>/ dir layout: one version of the value, a bcolz ctable directory
//   <bucket>/<stem>.key       long ("h…") keys only: the full key, UTF-8

/** The marker that makes a directory (or Store) a key store. */
export const MARKER_NAME = "colz-keystore.json";
/** The write-ahead record of the last pointer operation. */
export const WAL_NAME = "colz-keystore.wal";
export const ZIP_SUFFIX = ".zip";
export const POINTER_SUFFIX = ".ptr";
export const LONG_KEY_SUFFIX = ".key";
/** Hex digits of the fan-out directory name: 256 directories, ~3,900 keys each at a million keys. */
export const DEFAULT_FANOUT = 2;
export const KEYSTORE_FORMAT_VERSION = 1;

export type LayoutName = "dir" | "zip";

/** What `colz-keystore.json` holds. */
export interface Marker {
  format: "colz-keystore";
  version: number;
  layout: LayoutName;
  fanout: number;
}

/**
 * The marker file's bytes.
 *
 * @example
 * encodeMarker({ format: "colz-keystore", version: 1, layout: "zip", fanout: 2 });
 */
export function encodeMarker(marker: Marker): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(marker)}\n`);
}

/**
 * Parses and checks a marker: ERR_NOT_A_CONTAINER when it is not one, ERR_UNSUPPORTED for a
 * newer format version (its data may mean something else).
 *
 * @example
 * parseMarker(bytes, "/data/ks"); // { format: "colz-keystore", version: 1, layout: "zip", fanout: 2 }
 */
export function parseMarker(bytes: Uint8Array, where: string): Marker {
  let v: Partial<Marker> | undefined;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Marker>;
  } catch (e) {
    throw new ColzError("ERR_NOT_A_CONTAINER", `${where}: ${MARKER_NAME} is not JSON`, { cause: e });
  }
  if (v === null || typeof v !== "object" || v.format !== "colz-keystore") {
    throw new ColzError("ERR_NOT_A_CONTAINER", `${where}: ${MARKER_NAME} does not describe a colz key store`);
  }
  if (v.version !== KEYSTORE_FORMAT_VERSION) {
    throw new ColzError("ERR_UNSUPPORTED", `${where}: key store format version ${v.version} is not supported`);
  }
  if ((v.layout !== "dir" && v.layout !== "zip") || !isFanout(v.fanout)) {
    throw new ColzError("ERR_NOT_A_CONTAINER", `${where}: ${MARKER_NAME} has a bad layout or fanout`);
  }
  return { format: "colz-keystore", version: v.version, layout: v.layout, fanout: v.fanout };
}

/** Fan-out is 1..3 hex digits: 16, 256 or 4096 directories. */
export function isFanout(v: unknown): v is number {
  return v === 1 || v === 2 || v === 3;
}

/** What a bucket entry is; undefined for names that are not ours (temp files, `.lock`, strays). */
export type EntryKind = "zip" | "ptr" | "key" | "version";

const STEM = /^[kh][a-z0-9_~-]+$/;
const VERSION_TOKEN = /^v[0-9a-z]{6,40}$/;

/**
 * Splits a bucket entry name into stem and kind.
 *
 * @example
 * parseEntryName("k_a_a_p_l.zip");     // { stem: "k_a_a_p_l", kind: "zip" }
 * parseEntryName("kfoo.vlx2k9a1b2c3"); // { stem: "kfoo", kind: "version" }
 * parseEntryName(".colz-tmp-1");       // undefined
 */
export function parseEntryName(name: string): { stem: string; kind: EntryKind } | undefined {
  const dot = name.indexOf(".");
  if (dot <= 0) return undefined;
  const stem = name.slice(0, dot);
  const suffix = name.slice(dot);
  if (!STEM.test(stem)) return undefined;
  if (suffix === ZIP_SUFFIX) return { stem, kind: "zip" };
  if (suffix === POINTER_SUFFIX) return { stem, kind: "ptr" };
  if (suffix === LONG_KEY_SUFFIX) return { stem, kind: "key" };
  if (VERSION_TOKEN.test(suffix.slice(1))) return { stem, kind: "version" };
  return undefined;
}

/**
 * A fresh, unique version name for `stem`: "<stem>.v<time base36><random hex>".
 *
 * @example
 * newVersionName("kfoo"); // "kfoo.vlx2k9a1b2c3d4e5"
 */
export function newVersionName(stem: string): string {
  const random = new Uint8Array(6);
  globalThis.crypto.getRandomValues(random);
  let hex = "";
  for (const b of random) hex += b.toString(16).padStart(2, "0");
  return `${stem}.v${Date.now().toString(36)}${hex}`;
}

/**
 * The pointer file's bytes: the version's path relative to the store root ("<bucket>/<name>").
 *
 * @example
 * encodePointer("5c/kfoo.vlx2k9a1b2c3d4e5"); // "5c/kfoo.vlx2k9a1b2c3d4e5\n"
 */
export function encodePointer(versionPath: string): Uint8Array {
  return new TextEncoder().encode(`${versionPath}\n`);
}

/**
 * The version path a pointer names. Anything but "<hex bucket>/<stem>.v<token>" is
 * ERR_CORRUPT_META: a damaged pointer must never lead a reader or a deleter outside the store.
 *
 * @example
 * parsePointer(bytes, "5c/kfoo.ptr"); // "5c/kfoo.vlx2k9a1b2c3d4e5"
 */
export function parsePointer(bytes: Uint8Array, where: string): string {
  const text = new TextDecoder().decode(bytes).trimEnd();
  const slash = text.indexOf("/");
  const bucket = text.slice(0, slash);
  const entry = parseEntryName(text.slice(slash + 1));
  if (slash < 1 || slash > 3 || !/^[0-9a-f]+$/.test(bucket) || entry?.kind !== "version") {
    throw new ColzError("ERR_CORRUPT_META", `${where}: pointer ${JSON.stringify(text.slice(0, 100))} is malformed`);
  }
  return text;
}

/**
 * The last pointer operation, written (durably) before it starts, so that the next writer can
 * finish or undo it after a crash. `pointer` is the pointer being changed from `prev` to `next`
 * (version paths; undefined = no pointer); `source` is a rename's source pointer, which also
 * names `next` until the rename completes.
 */
export interface WalRecord {
  pointer: string;
  next?: string;
  prev?: string;
  source?: string;
}

/** @example encodeWal({ pointer: "5c/kfoo", next: "5c/kfoo.v1", prev: "5c/kfoo.v0" }) */
export function encodeWal(record: WalRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record)}\n`);
}

/**
 * The record in a WAL file, or undefined when it is empty or torn. A torn record is harmless:
 * an operation starts only after its record is durable, so a torn one never started.
 *
 * @example
 * parseWal(bytes); // { pointer: "5c/kfoo", next: "5c/kfoo.v1", prev: "5c/kfoo.v0" }
 */
export function parseWal(bytes: Uint8Array | undefined): WalRecord | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as WalRecord;
    const paths = [v.next, v.prev].filter((p) => p !== undefined);
    const pointers = [v.pointer, v.source].filter((p) => p !== undefined);
    for (const p of paths) parsePointer(new TextEncoder().encode(p), "wal");
    if (pointers.some((p) => typeof p !== "string" || !/^[0-9a-f]{1,3}\/[kh][a-z0-9_~-]+$/.test(p))) return undefined;
    return v;
  } catch {
    return undefined;
  }
}
