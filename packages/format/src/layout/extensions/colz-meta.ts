import { ColzError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { encodePyJsonFile, PyFloat, parsePyJson } from "../json.js";
import { getMetaFile, META_LIMITS } from "../meta-io.js";

// `meta/colz`: a marker bcolz never opens (it only reads meta/sizes and meta/storage) saying
// that colz wrote the carray, which colz format version it follows and how to interpret it.

/** The colz format version this code writes and the newest it reads. */
export const COLZ_FORMAT_VERSION = 1;

/** How the values of a carray are to be understood, beyond its NumPy dtype. */
export type LogicalType = "utf8" | "binary" | (string & {});

/** Contents of `meta/colz`. */
export interface ColzMeta {
  format: "colz";
  version: number;
  /**
   * "utf8"/"binary" for variable-length columns (the carray holds int64 end offsets, the bytes
   * live in `colz/values/`); otherwise the dtype string, for information.
   */
  logicalType: LogicalType;
  /** True when `colz/validity/` holds a bool carray (1 = valid). */
  nullable: boolean;
  /** True when the writer keeps a `data/__N.colz` sidecar for every chunk it writes. */
  chunkStats: boolean;
}

/**
 * Store key of the marker of the carray at `prefix`.
 *
 * @example
 * colzMetaKey("name/"); // "name/meta/colz"
 */
export function colzMetaKey(prefix: string): string {
  return `${prefix}meta/colz`;
}

/**
 * The bytes of `meta/colz`, in the fixed key order format, version, logicalType, nullable, chunkStats.
 *
 * @example
 * encodeColzMeta({ logicalType: "utf8", nullable: false, chunkStats: true });
 * // '{"format": "colz", "version": 1, "logicalType": "utf8", "nullable": false, "chunkStats": true}\n'
 */
export function encodeColzMeta(meta: Omit<ColzMeta, "format" | "version">): Uint8Array {
  return encodePyJsonFile({
    format: "colz",
    version: COLZ_FORMAT_VERSION,
    logicalType: meta.logicalType,
    nullable: meta.nullable,
    chunkStats: meta.chunkStats,
  });
}

/**
 * Parses `meta/colz`. Unknown extra keys are ignored (later minor additions); a newer major
 * `version` throws ERR_UNSUPPORTED_DTYPE (its data may mean something this reader cannot know);
 * anything malformed is ERR_CORRUPT_META naming `key`.
 *
 * @example
 * parseColzMeta(await store.get("meta/colz"), "meta/colz").logicalType; // "utf8"
 */
export function parseColzMeta(bytes: Uint8Array, key: string): ColzMeta {
  const v = parsePyJson(bytes, key);
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof PyFloat) {
    throw new ColzError("ERR_CORRUPT_META", `${key}: must be a JSON object`);
  }
  if (v.format !== "colz") throw new ColzError("ERR_CORRUPT_META", `${key}: "format" is not "colz"`);
  const version = v.version;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) {
    throw new ColzError("ERR_CORRUPT_META", `${key}: "version" must be a positive integer`);
  }
  if (version > COLZ_FORMAT_VERSION) {
    throw new ColzError(
      "ERR_UNSUPPORTED_DTYPE",
      `${key}: written in colz format ${version}; this reader knows format ${COLZ_FORMAT_VERSION} (upgrade colz)`,
    );
  }
  const logicalType = v.logicalType;
  if (typeof logicalType !== "string" || logicalType === "") {
    throw new ColzError("ERR_CORRUPT_META", `${key}: "logicalType" must be a non-empty string`);
  }
  const nullable = v.nullable ?? false;
  const chunkStats = v.chunkStats ?? false;
  if (typeof nullable !== "boolean" || typeof chunkStats !== "boolean") {
    throw new ColzError("ERR_CORRUPT_META", `${key}: "nullable" and "chunkStats" must be booleans`);
  }
  return { format: "colz", version, logicalType, nullable, chunkStats };
}

/**
 * Reads the marker of the carray at `prefix`; undefined for plain bcolz carrays.
 *
 * @example
 * const meta = await readColzMeta(store, "name/"); // { logicalType: "utf8", ... } or undefined
 */
export async function readColzMeta(store: Store, prefix: string): Promise<ColzMeta | undefined> {
  const key = colzMetaKey(prefix);
  const bytes = await getMetaFile(store, key, META_LIMITS.small);
  return bytes === undefined ? undefined : parseColzMeta(bytes, key);
}
