import { BloscError } from "./errors.js";

/** Compressor names. `snappy` chunks can be decoded but not written. */
export type Cname = "blosclz" | "lz4" | "lz4hc" | "zlib" | "zstd";
/** Every codec a chunk may carry in its header. */
export type ChunkCname = Cname | "snappy";
export type Shuffle = "noshuffle" | "shuffle" | "bitshuffle";

export interface CompressOptions {
  /** Element size in bytes (1..255; larger sizes fall back to 1, as c-blosc does). */
  typesize: number;
  /** 0 (store only) .. 9 (best). Default 5. */
  clevel?: number;
  /** Default "shuffle". */
  shuffle?: Shuffle;
  /** Default "lz4". */
  cname?: Cname;
  /** Force a block size in bytes (0 or undefined: automatic, as c-blosc 1.21 chooses). */
  blocksize?: number;
  /**
   * Zero bytes to leave before the chunk in the returned array (0..4096, default 0): room for a
   * container's header (bcolz chunk files start with 16 bytes), written in place instead of
   * copying the chunk into a larger array. The chunk is `result.subarray(headroom)`.
   */
  headroom?: number;
}

export interface ResolvedOptions {
  typesize: number;
  clevel: number;
  shuffle: Shuffle;
  cname: Cname;
  blocksize: number;
  headroom: number;
}

/** Largest nbytes a Blosc1 chunk can describe (int32 sizes, including the 16-byte header). */
export const MAX_NBYTES = 2 ** 31 - 1 - 16;
/** Largest block size c-blosc accepts. */
export const MAX_BLOCKSIZE = Math.floor((2 ** 31 - 1 - 255 * 4) / 3);

const CNAMES: readonly string[] = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];
const SHUFFLES: readonly string[] = ["noshuffle", "shuffle", "bitshuffle"];

function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

/** Validates user options and fills in defaults; every problem is an ERR_BAD_PARAMS naming the option. */
export function resolveOptions(options: CompressOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new BloscError("ERR_BAD_PARAMS", "compress options must be an object with at least `typesize`");
  }
  const { typesize, clevel = 5, shuffle = "shuffle", cname = "lz4", blocksize = 0, headroom = 0 } = options;
  if (!isInt(typesize) || typesize < 1) {
    throw new BloscError("ERR_BAD_PARAMS", `typesize must be a positive integer, got ${String(typesize)}`);
  }
  if (!isInt(clevel) || clevel < 0 || clevel > 9) {
    throw new BloscError("ERR_BAD_PARAMS", `clevel must be an integer from 0 to 9, got ${String(clevel)}`);
  }
  if (cname === ("snappy" as string)) {
    throw new BloscError(
      "ERR_UNSUPPORTED",
      "cname 'snappy' can be decoded but not written; use lz4, lz4hc, blosclz, zlib or zstd",
    );
  }
  if (!CNAMES.includes(cname)) {
    throw new BloscError("ERR_BAD_PARAMS", `cname must be one of ${CNAMES.join(", ")}, got ${String(cname)}`);
  }
  if (!SHUFFLES.includes(shuffle)) {
    throw new BloscError("ERR_BAD_PARAMS", `shuffle must be one of ${SHUFFLES.join(", ")}, got ${String(shuffle)}`);
  }
  if (!isInt(blocksize) || blocksize < 0) {
    throw new BloscError("ERR_BAD_PARAMS", `blocksize must be a non-negative integer, got ${String(blocksize)}`);
  }
  if (!isInt(headroom) || headroom < 0 || headroom > 4096) {
    throw new BloscError("ERR_BAD_PARAMS", `headroom must be an integer from 0 to 4096, got ${String(headroom)}`);
  }
  return { typesize: typesize > 255 ? 1 : typesize, clevel, shuffle, cname, blocksize, headroom };
}
