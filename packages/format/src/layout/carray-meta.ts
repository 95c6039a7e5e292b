import type { Shuffle } from "@colz/blosc-wasm";
import type { Dtype } from "../dtype/dtype.js";
import { ColzError } from "../errors.js";
import { encodePyJsonFile, PyFloat, type PyJsonValue, parsePyJson } from "./json.js";

/** Blosc shuffle as bcolz stores it: 0 none, 1 byte shuffle, 2 bitshuffle. */
export type ShuffleCode = 0 | 1 | 2;

/** `meta/storage` cparams, normalised (legacy bool shuffle → 0/1, missing cname → "blosclz"). */
export interface CParams {
  clevel: number;
  shuffle: ShuffleCode;
  /** Codec for new chunks. Existing chunks are decoded from their own headers. */
  cname: string;
  /** Significant digits of lossy float quantisation bcolz applied before compressing (0 = off). */
  quantize: number;
}

/** `meta/sizes`: shape[0] is the only authoritative length; cbytes is informational. */
export interface CArraySizes {
  shape: number[];
  nbytes: number;
  cbytes: number;
}

/** `meta/storage`, written once at creation. */
export interface CArrayStorage {
  /** NumPy base dtype string, parsed by `parseDtype`. */
  dtype: string;
  cparams: CParams;
  chunklen: number;
  expectedlen: number;
  dflt: PyJsonValue;
}

/** Default cparams of bcolz 1.2.1 (`bcolz/defaults.py`), also colz's. */
export const DEFAULT_CPARAMS: Readonly<CParams> = Object.freeze({ clevel: 5, shuffle: 1, cname: "lz4", quantize: 0 });

/** Codecs colz can write; "snappy" chunks are readable only. */
export const WRITABLE_CNAMES: readonly string[] = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];

/** Largest chunk (bytes) a Blosc1 chunk can describe; larger chunklen × atomsize is corrupt metadata. */
export const MAX_CHUNK_BYTES = 2 ** 31 - 1 - 16;

const SHUFFLE_NAMES: readonly Shuffle[] = ["noshuffle", "shuffle", "bitshuffle"];

/**
 * The blosc-wasm shuffle option for a bcolz shuffle code.
 *
 * @example
 * shuffleName(2); // "bitshuffle"
 */
export function shuffleName(code: ShuffleCode): Shuffle {
  return SHUFFLE_NAMES[code]!;
}

function corrupt(key: string, what: string): ColzError {
  return new ColzError("ERR_CORRUPT_META", `${key}: ${what}`);
}

function asObject(v: PyJsonValue, key: string, what: string): { [k: string]: PyJsonValue } {
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof PyFloat) {
    throw corrupt(key, `${what} must be a JSON object`);
  }
  return v;
}

/** A non-negative integer field; bigints within 2^53 are accepted. */
function count(v: PyJsonValue | undefined, key: string, field: string): number {
  const n = typeof v === "bigint" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw corrupt(key, `${field} must be a non-negative integer below 2^53, got ${describe(v)}`);
  }
  return n;
}

function describe(v: PyJsonValue | undefined): string {
  if (v === undefined) return "nothing (missing)";
  if (typeof v === "bigint") return `${v}`;
  if (v instanceof PyFloat) return String(v.value);
  return JSON.stringify(v) ?? String(v);
}

/**
 * Parses and validates `meta/sizes`. Every shape value must be a non-negative integer below
 * 2^53 and the shape non-empty; key order does not matter. `key` names the file in errors.
 *
 * @example
 * parseSizes(bytes, "price/meta/sizes"); // { shape: [7777], nbytes: 62216, cbytes: 24672 }
 */
export function parseSizes(bytes: Uint8Array, key: string): CArraySizes {
  const o = asObject(parsePyJson(bytes, key), key, "meta/sizes");
  const shape = o.shape;
  if (!Array.isArray(shape) || shape.length === 0)
    throw corrupt(key, `shape must be a non-empty list, got ${describe(shape)}`);
  const dims = shape.map((d, i) => count(d, key, `shape[${i}]`));
  return { shape: dims, nbytes: count(o.nbytes, key, "nbytes"), cbytes: count(o.cbytes, key, "cbytes") };
}

/**
 * Parses and validates `meta/storage`, tolerating legacy variants: shuffle as a bool, missing
 * cname (⇒ "blosclz"), missing quantize (⇒ 0), missing expectedlen (⇒ chunklen) or dflt
 * (⇒ null, i.e. zero), any key order. The dtype string is returned unparsed.
 *
 * @example
 * parseStorage(bytes, "meta/storage").cparams; // { clevel: 5, shuffle: 1, cname: "lz4", quantize: 0 }
 */
export function parseStorage(bytes: Uint8Array, key: string): CArrayStorage {
  const o = asObject(parsePyJson(bytes, key), key, "meta/storage");
  if (typeof o.dtype !== "string") throw corrupt(key, `dtype must be a string, got ${describe(o.dtype)}`);
  const chunklen = count(o.chunklen, key, "chunklen");
  if (chunklen < 1) throw corrupt(key, "chunklen must be at least 1");
  const cp = asObject(o.cparams ?? {}, key, "cparams");
  const clevel = cp.clevel === undefined ? DEFAULT_CPARAMS.clevel : count(cp.clevel, key, "cparams.clevel");
  if (clevel > 9) throw corrupt(key, `cparams.clevel must be 0..9, got ${clevel}`);
  let shuffle: ShuffleCode;
  if (typeof cp.shuffle === "boolean")
    shuffle = cp.shuffle ? 1 : 0; // legacy bcolz wrote True/False
  else if (cp.shuffle === undefined) shuffle = 1;
  else if (cp.shuffle === 0 || cp.shuffle === 1 || cp.shuffle === 2) shuffle = cp.shuffle;
  else throw corrupt(key, `cparams.shuffle must be 0, 1, 2 or a bool, got ${describe(cp.shuffle)}`);
  if (cp.cname !== undefined && typeof cp.cname !== "string") {
    throw corrupt(key, `cparams.cname must be a string, got ${describe(cp.cname)}`);
  }
  const cname = cp.cname ?? "blosclz"; // bcolz's _read_meta: files from before cname existed used blosclz
  const quantize = cp.quantize === undefined ? 0 : count(cp.quantize, key, "cparams.quantize");
  const expectedlen = o.expectedlen === undefined ? chunklen : count(o.expectedlen, key, "expectedlen");
  return {
    dtype: o.dtype,
    cparams: { clevel, shuffle, cname, quantize },
    chunklen,
    expectedlen,
    dflt: o.dflt === undefined ? null : o.dflt,
  };
}

/**
 * Parses `__attrs__`: a missing (undefined), empty or blank file is `{}` (bcolz 1.2.1 breaks on a
 * missing one; we do not); anything but a JSON object is ERR_CORRUPT_META.
 *
 * @example
 * parseAttrs(await store.get("__attrs__"), "__attrs__"); // { note: "ctable vector" }
 */
export function parseAttrs(bytes: Uint8Array | undefined, key: string): { [k: string]: PyJsonValue } {
  if (bytes === undefined || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) return {};
  return asObject(parsePyJson(bytes, key), key, "__attrs__");
}

/**
 * The bytes of `meta/sizes` as bcolz 1.2.1 writes them: `{"shape": [...], "nbytes": N, "cbytes": N}\n`.
 *
 * @example
 * new TextDecoder().decode(encodeSizes({ shape: [6000, 4], nbytes: 96000, cbytes: 22020 }));
 * // '{"shape": [6000, 4], "nbytes": 96000, "cbytes": 22020}\n'
 */
export function encodeSizes(sizes: CArraySizes): Uint8Array {
  return encodePyJsonFile({ shape: sizes.shape, nbytes: sizes.nbytes, cbytes: sizes.cbytes });
}

/**
 * The `dflt` bcolz writes for a zero fill of `dtype` (`np.zeros((), dtype).tolist()`): false,
 * 0, 0.0 (as a number; `encodeStorage` writes it as a float), "".
 *
 * @example
 * zeroDflt(parseDtype("bool")); // false
 */
export function zeroDflt(dtype: Dtype): PyJsonValue {
  if (dtype.kind === "b") return false;
  if (dtype.kind === "S" || dtype.kind === "U") return "";
  return 0;
}

/** Casts a user `dflt` to the JSON form bcolz would write for `dtype`; ERR_BAD_ARGUMENT if impossible. */
function dfltFor(dtype: Dtype, dflt: PyJsonValue): PyJsonValue {
  const v = dflt instanceof PyFloat ? dflt.value : dflt;
  const bad = () => new ColzError("ERR_BAD_ARGUMENT", `dflt ${describe(dflt)} does not fit dtype ${dtype.str}`);
  switch (dtype.kind) {
    case "b":
      if (typeof v !== "boolean") throw bad();
      return v;
    case "f":
      if (typeof v !== "number") throw bad();
      return new PyFloat(v); // NaN/Infinity become Python's tokens
    case "S":
    case "U":
      if (typeof v !== "string") throw bad();
      return v;
    default: // ints, datetime64, timedelta64: integers (bigint beyond 2^53)
      if (typeof v === "bigint") return v;
      if (typeof v !== "number" || !Number.isInteger(v)) throw bad();
      return v;
  }
}

/**
 * The bytes of `meta/storage` in bcolz 1.2.1's key order: dtype, cparams {clevel, shuffle,
 * cname, quantize}, chunklen, expectedlen, dflt. The dtype's canonical `str` is written, and
 * `dflt` is cast to the dtype (float dtypes get "0.0", not "0").
 *
 * @example
 * encodeStorage({ dtype: parseDtype("bool"), cparams: DEFAULT_CPARAMS, chunklen: 5000, expectedlen: 12345, dflt: false });
 * // '{"dtype": "bool", "cparams": {"clevel": 5, "shuffle": 1, "cname": "lz4", "quantize": 0}, "chunklen": 5000, ...}\n'
 */
export function encodeStorage(storage: {
  dtype: Dtype;
  cparams: CParams;
  chunklen: number;
  expectedlen: number;
  dflt?: PyJsonValue;
}): Uint8Array {
  const { dtype, cparams, chunklen, expectedlen } = storage;
  const dflt = storage.dflt === undefined || storage.dflt === null ? zeroDflt(dtype) : storage.dflt;
  return encodePyJsonFile({
    dtype: dtype.str,
    cparams: { clevel: cparams.clevel, shuffle: cparams.shuffle, cname: cparams.cname, quantize: cparams.quantize },
    chunklen,
    expectedlen,
    dflt: dfltFor(dtype, dflt),
  });
}

/**
 * The bytes of an `__attrs__` file (`{}\n` for no attributes).
 *
 * @example
 * encodeAttrs({ vector: "bool" }); // '{"vector": "bool"}\n'
 */
export function encodeAttrs(attrs: { readonly [k: string]: unknown }): Uint8Array {
  return encodePyJsonFile(attrs);
}

/**
 * Checks user cparams for a new carray and fills bcolz's defaults. ERR_BAD_ARGUMENT names the field.
 *
 * @example
 * resolveCParams({ cname: "zstd" }); // { clevel: 5, shuffle: 1, cname: "zstd", quantize: 0 }
 */
export function resolveCParams(cparams: Partial<CParams> = {}): CParams {
  const r = { ...DEFAULT_CPARAMS, ...cparams };
  const bad = (what: string) => new ColzError("ERR_BAD_ARGUMENT", `cparams.${what}`);
  if (!Number.isInteger(r.clevel) || r.clevel < 0 || r.clevel > 9) throw bad(`clevel must be 0..9, got ${r.clevel}`);
  if (r.shuffle !== 0 && r.shuffle !== 1 && r.shuffle !== 2) throw bad(`shuffle must be 0, 1 or 2, got ${r.shuffle}`);
  if (!WRITABLE_CNAMES.includes(r.cname))
    throw bad(`cname must be one of ${WRITABLE_CNAMES.join(", ")}, got ${r.cname}`);
  if (r.quantize !== 0) throw bad("quantize is not supported by colz writers (must be 0)");
  return r;
}
