import { int64Range as int64RangeWasm, xxh64 } from "@colz/blosc-wasm";
import type { Dtype } from "../../dtype/dtype.js";
import { isBigIntDtype } from "../../dtype/dtype.js";
import { HOST_LITTLE_ENDIAN, toTypedArray } from "../../dtype/typed-arrays.js";
import { ColzError } from "../../errors.js";
import { crc32 } from "../../store/crc32.js";
import { encodePyJsonFile, PyFloat, type PyJsonValue, parsePyJson } from "../json.js";

// `data/__N.colz`: a sidecar next to `data/__N.blp` that bcolz never opens (it only opens the
// chunk files its metadata names). It carries a checksum of the Blosc chunk, so bit flips are
// caught even in MEMCPYED chunks, and min/max/null counts that let scans skip whole chunks.
// The checksum is XXH64 (about 4x faster than CRC-32 here, and paid on every chunk read);
// sidecars written by colz pre-releases carry a CRC-32 instead, which is still verified.

/** Per-chunk statistics and checksum. Statistics cover every row stored in the chunk file. */
export interface ChunkStats {
  /** XXH64 (seed 0) of the Blosc chunk bytes (the file from offset 16 to 16 + cbytes). */
  xxh64?: bigint;
  /** CRC-32 (IEEE) of the same bytes: what sidecars written by colz pre-releases carry instead. */
  crc32?: number;
  /** Blosc cbytes of the chunk (header included). */
  cbytes: number;
  /** Blosc nbytes of the chunk (its uncompressed size). */
  nbytes: number;
  /** Rows stored in the chunk file. */
  rows: number;
  /** Rows marked invalid by the validity carray (0 for non-nullable columns). */
  nulls: number;
  /** NaN elements (floats) or NaT elements (datetime64/timedelta64) among the valid rows. */
  nans: number;
  /**
   * Smallest and largest valid, non-NaN element (bool as 0/1; 64-bit types as bigint). null when
   * there is none, or for S/U dtypes, which colz does not summarise.
   */
  min: number | bigint | null;
  max: number | bigint | null;
}

/**
 * Store key of the sidecar of chunk `i` of the carray at `prefix`.
 *
 * @example
 * chunkStatsKey("price/", 3); // "price/data/__3.colz"
 */
export function chunkStatsKey(prefix: string, i: number): string {
  return `${prefix}data/__${i}.colz`;
}

const NAT = -(2n ** 63n);

/**
 * Computes the sidecar of a chunk from its Blosc bytes and its rows (stored byte order).
 * `validity` has one byte per row (non-zero = valid); invalid rows are left out of min/max/nans.
 *
 * @example
 * const stats = computeChunkStats(bloscChunk, rowsBytes, dtype, 1);
 */
export function computeChunkStats(
  bloscChunk: Uint8Array,
  rowsBytes: Uint8Array,
  dtype: Dtype,
  atomItems: number,
  validity?: Uint8Array,
): ChunkStats {
  const rows = rowsBytes.length / (dtype.itemsize * atomItems);
  let nulls = 0;
  if (validity !== undefined) for (let r = 0; r < rows; r++) if (validity[r] === 0) nulls++;
  const stats: ChunkStats = {
    xxh64: xxh64(bloscChunk),
    cbytes: bloscChunk.length,
    nbytes: rowsBytes.length,
    rows,
    nulls,
    nans: 0,
    min: null,
    max: null,
  };
  if (dtype.kind === "S" || dtype.kind === "U") return stats;
  const values = toTypedArray(rowsBytes, dtype);
  if (isBigIntDtype(dtype)) {
    const timeLike = dtype.kind === "M" || dtype.kind === "m";
    const signed = dtype.kind !== "u";
    const range = int64Range(values as BigInt64Array | BigUint64Array, signed, timeLike, atomItems, validity);
    stats.nans = range.nats;
    return { ...stats, min: range.min, max: range.max };
  }
  if (dtype.kind === "f" && dtype.itemsize === 2) return stats; // float16 is never written by colz
  const v = values as Float64Array;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let seen = false;
  if (validity === undefined && v instanceof Float64Array) {
    // float64 gets a loop of its own: V8 compiles one loop over many typed-array kinds
    // polymorphically, about 10x slower than a loop that only ever sees Float64Array.
    const r = float64Range(v);
    stats.nans = r.nans;
    seen = r.nans < v.length;
    min = r.min;
    max = r.max;
  } else if (validity === undefined) {
    // The common case: branch-free min/max (a NaN never wins `x < min ? x : min`), NaNs only
    // noticed here and counted by a second pass when there are any (rare).
    let anyNaN = false;
    for (let k = 0; k < v.length; k++) {
      const x = v[k] as number;
      min = x < min ? x : min;
      max = x > max ? x : max;
      anyNaN = anyNaN || Number.isNaN(x);
    }
    if (anyNaN) for (let k = 0; k < v.length; k++) if (Number.isNaN(v[k])) stats.nans++;
    seen = stats.nans < v.length;
  } else {
    for (let k = 0; k < v.length; k++) {
      if (validity[Math.floor(k / atomItems)] === 0) continue;
      const x = v[k] as number;
      if (Number.isNaN(x)) {
        stats.nans++;
        continue;
      }
      seen = true;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return seen ? { ...stats, min, max } : stats;
}

/**
 * Min/max of 64-bit elements (NaT excluded and counted for datetimes) without a BigInt per
 * element: each element is compared as its two 32-bit halves (high word signed for signed
 * types, low word unsigned), which is an order of magnitude faster than BigInt comparisons.
 */
function int64Range(
  v: BigInt64Array | BigUint64Array,
  signed: boolean,
  timeLike: boolean,
  atomItems: number,
  validity: Uint8Array | undefined,
): { min: bigint | null; max: bigint | null; nats: number } {
  if (!HOST_LITTLE_ENDIAN) return int64RangeBigInt(v, timeLike, atomItems, validity);
  if (validity === undefined && !timeLike) {
    // Every value counts (no nulls, no NaT): the codec's SIMD kernel, several times this loop's speed.
    const range = int64RangeWasm(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), signed);
    return { min: range?.min ?? null, max: range?.max ?? null, nats: 0 };
  }
  const words = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  const his = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
  // Signed high words compare as int32; unsigned ones as uint32 (flip the sign bit to compare as int32).
  const flip = signed ? 0 : 0x80000000 | 0;
  let minHi = 0;
  let minLo = 0;
  let maxHi = 0;
  let maxLo = 0;
  let seen = false;
  let nats = 0;
  for (let k = 0; k < v.length; k++) {
    if (validity !== undefined && validity[Math.floor(k / atomItems)] === 0) continue;
    const lo = words[2 * k] as number;
    const hi = ((his[2 * k + 1] as number) ^ flip) | 0;
    if (timeLike && hi === (0x80000000 | 0) && lo === 0) {
      nats++; // NaT is -2^63 (datetimes are signed, so flip is 0 here)
      continue;
    }
    if (!seen) {
      minHi = maxHi = hi;
      minLo = maxLo = lo;
      seen = true;
      continue;
    }
    if (hi < minHi || (hi === minHi && lo < minLo)) {
      minHi = hi;
      minLo = lo;
    }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
      maxHi = hi;
      maxLo = lo;
    }
  }
  if (!seen) return { min: null, max: null, nats };
  const join = (hi: number, lo: number): bigint =>
    signed ? (BigInt(hi) << 32n) | BigInt(lo) : (BigInt((hi ^ flip) >>> 0) << 32n) | BigInt(lo);
  return { min: join(minHi, minLo), max: join(maxHi, maxLo), nats };
}

/** The BigInt reference version of int64Range (big-endian hosts). */
function int64RangeBigInt(
  v: BigInt64Array | BigUint64Array,
  timeLike: boolean,
  atomItems: number,
  validity: Uint8Array | undefined,
): { min: bigint | null; max: bigint | null; nats: number } {
  let min: bigint | null = null;
  let max: bigint | null = null;
  let nats = 0;
  for (let k = 0; k < v.length; k++) {
    if (validity !== undefined && validity[Math.floor(k / atomItems)] === 0) continue;
    const x = v[k] as bigint;
    if (timeLike && x === NAT) {
      nats++;
      continue;
    }
    if (min === null || x < min) min = x;
    if (max === null || x > max) max = x;
  }
  return { min, max, nats };
}

function statValue(v: number | bigint | null, dtype: Dtype): PyJsonValue {
  if (v === null) return null;
  if (typeof v === "bigint") return v.toString(); // 64-bit values as decimal strings: exact in every JSON reader
  return dtype.kind === "f" ? new PyFloat(v) : v;
}

/**
 * The bytes of a sidecar, keys in the fixed order xxh64 (16 lowercase hex digits) or crc32,
 * cbytes, nbytes, rows, nulls, nans, min, max.
 *
 * @example
 * await store.set(chunkStatsKey(prefix, i), encodeChunkStats(stats, dtype));
 */
export function encodeChunkStats(stats: ChunkStats, dtype: Dtype): Uint8Array {
  return encodePyJsonFile({
    ...(stats.xxh64 !== undefined ? { xxh64: hex64(stats.xxh64) } : {}),
    ...(stats.crc32 !== undefined ? { crc32: stats.crc32 } : {}),
    cbytes: stats.cbytes,
    nbytes: stats.nbytes,
    rows: stats.rows,
    nulls: stats.nulls,
    nans: stats.nans,
    min: statValue(stats.min, dtype),
    max: statValue(stats.max, dtype),
  });
}

function parseStat(v: PyJsonValue | undefined, dtype: Dtype, key: string, field: string): number | bigint | null {
  if (v === null || v === undefined) return null;
  if (isBigIntDtype(dtype)) {
    if (typeof v === "string" && /^-?\d{1,20}$/.test(v)) return BigInt(v);
  } else if (typeof v === "number") {
    return v;
  }
  throw new ColzError("ERR_CORRUPT_META", `${key}: "${field}" has the wrong type for dtype ${dtype.str}`);
}

/**
 * Parses a sidecar; malformed content is ERR_CORRUPT_META naming `key`.
 *
 * @example
 * const stats = parseChunkStats(bytes, "data/__0.colz", dtype);
 */
export function parseChunkStats(bytes: Uint8Array, key: string, dtype: Dtype): ChunkStats {
  const v = parsePyJson(bytes, key);
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof PyFloat) {
    throw new ColzError("ERR_CORRUPT_META", `${key}: must be a JSON object`);
  }
  const int = (field: string, max: number): number => {
    const n = v[field];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0 || n > max) {
      throw new ColzError("ERR_CORRUPT_META", `${key}: "${field}" must be an integer in 0..${max}`);
    }
    return n;
  };
  const hash = v.xxh64;
  if (hash !== undefined && (typeof hash !== "string" || !/^[0-9a-f]{16}$/.test(hash))) {
    throw new ColzError("ERR_CORRUPT_META", `${key}: "xxh64" must be a string of 16 lowercase hex digits`);
  }
  if (hash === undefined && v.crc32 === undefined) {
    throw new ColzError("ERR_CORRUPT_META", `${key}: has no checksum (neither "xxh64" nor "crc32")`);
  }
  return {
    ...(hash !== undefined ? { xxh64: BigInt(`0x${hash}`) } : {}),
    ...(v.crc32 !== undefined ? { crc32: int("crc32", 0xffffffff) } : {}),
    cbytes: int("cbytes", 2 ** 32 - 1),
    nbytes: int("nbytes", 2 ** 32 - 1),
    rows: int("rows", Number.MAX_SAFE_INTEGER),
    nulls: int("nulls", Number.MAX_SAFE_INTEGER),
    nans: int("nans", Number.MAX_SAFE_INTEGER),
    min: parseStat(v.min, dtype, key, "min"),
    max: parseStat(v.max, dtype, key, "max"),
  };
}

/**
 * True when the sidecar describes this version of the chunk file: same Blosc cbytes and nbytes.
 * A sidecar that does not is stale (a foreign writer such as bcolz replaced the chunk without
 * knowing about sidecars) and must be ignored: no checksum, no statistics.
 *
 * @example
 * if (sidecarMatches(stats, info.cbytes, info.nbytes)) verifyChunkStats(stats, chunk, key);
 */
export function sidecarMatches(stats: ChunkStats, cbytes: number, nbytes: number): boolean {
  return stats.cbytes === cbytes && stats.nbytes === nbytes;
}

/**
 * Why the Blosc chunk's checksum differs from the sidecar's (every checksum the sidecar has is
 * checked), or undefined when it matches. Call it only for a matching sidecar (`sidecarMatches`).
 *
 * @example
 * const problem = checksumProblem(stats, bloscChunk); // "XXH64 0x... does not match its sidecar (0x...)"
 */
export function checksumProblem(stats: ChunkStats, bloscChunk: Uint8Array): string | undefined {
  if (stats.xxh64 !== undefined) {
    const h = xxh64(bloscChunk);
    if (h !== stats.xxh64) return `XXH64 0x${hex64(h)} does not match its sidecar (0x${hex64(stats.xxh64)})`;
  }
  if (stats.crc32 !== undefined) {
    const crc = crc32(bloscChunk);
    if (crc !== stats.crc32) {
      return `CRC-32 0x${crc.toString(16)} does not match its sidecar (0x${stats.crc32.toString(16)})`;
    }
  }
  return undefined;
}

/**
 * Throws ERR_CORRUPT_CHUNK naming `chunkKey` unless the Blosc chunk's checksum is the sidecar's.
 * Call it only for a matching sidecar (`sidecarMatches`).
 *
 * @example
 * verifyChunkStats(stats, bloscChunk, "data/__0.blp");
 */
export function verifyChunkStats(stats: ChunkStats, bloscChunk: Uint8Array, chunkKey: string): void {
  const problem = checksumProblem(stats, bloscChunk);
  if (problem !== undefined) {
    throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${chunkKey}: ${problem}; the chunk is damaged`);
  }
}

/** A 64-bit checksum as sidecars spell it: 16 lowercase hex digits. */
function hex64(h: bigint): string {
  return h.toString(16).padStart(16, "0");
}

/**
 * Min, max and NaN count of a float64 chunk (NaNs ignored by min/max). Two lanes of min/max
 * halve the loop's dependency chains; NaNs are counted in a second pass only when there are any.
 */
function float64Range(v: Float64Array): { min: number; max: number; nans: number } {
  let min0 = Number.POSITIVE_INFINITY;
  let max0 = Number.NEGATIVE_INFINITY;
  let min1 = Number.POSITIVE_INFINITY;
  let max1 = Number.NEGATIVE_INFINITY;
  let anyNaN = 0;
  const even = v.length & ~1;
  for (let k = 0; k < even; k += 2) {
    const x = v[k] as number;
    const y = v[k + 1] as number;
    min0 = x < min0 ? x : min0;
    max0 = x > max0 ? x : max0;
    min1 = y < min1 ? y : min1;
    max1 = y > max1 ? y : max1;
    // biome-ignore lint/suspicious/noSelfCompare: the cheapest NaN test in a hot loop
    anyNaN |= x !== x || y !== y ? 1 : 0;
  }
  if (even < v.length) {
    const x = v[even] as number;
    min0 = x < min0 ? x : min0;
    max0 = x > max0 ? x : max0;
    // biome-ignore lint/suspicious/noSelfCompare: see above
    anyNaN |= x !== x ? 1 : 0;
  }
  let nans = 0;
  if (anyNaN !== 0) for (let k = 0; k < v.length; k++) if (Number.isNaN(v[k])) nans++;
  return { min: min0 < min1 ? min0 : min1, max: max0 > max1 ? max0 : max1, nans };
}
