import { type ChunkCname, MAX_BLOCKSIZE } from "./params.js";

// How c-blosc >= 1.19 lays out a chunk (reference §11): reproducing it gives the same
// headers, hence the same split decisions and comparable ratios.

/** Blosc1's minimum buffer: below it a chunk is stored raw, and a block is not split below it per stream. */
export const MIN_BUFFERSIZE = 128;
const L1 = 32 * 1024;
const SPLIT_CAP = 256 * 1024;
const BLOCK_CLAMP = 1024 * 1024;
const CLEVEL_FACTOR = [0.25, 0.5, 1, 2, 4, 4, 8, 8, 8, 8];

function highCompressionRatio(cname: ChunkCname): boolean {
  return cname === "lz4hc" || cname === "zlib" || cname === "zstd";
}

/** True when c-blosc splits a block of `blocksize` bytes into `typesize` streams. */
export function splitBlock(cname: ChunkCname, typesize: number, blocksize: number): boolean {
  return cname !== "zstd" && typesize <= 16 && Math.floor(blocksize / typesize) >= MIN_BUFFERSIZE;
}

/** The block size c-blosc 1.21 picks for these settings (`forced` 0 = automatic). */
export function computeBlocksize(
  cname: ChunkCname,
  clevel: number,
  typesize: number,
  nbytes: number,
  forced: number,
): number {
  if (nbytes < typesize) return 1;
  let bs = nbytes;
  if (forced !== 0) {
    bs = Math.min(Math.max(forced, MIN_BUFFERSIZE), MAX_BLOCKSIZE);
  } else if (nbytes >= L1) {
    bs = L1 * (highCompressionRatio(cname) ? 2 : 1);
    bs = Math.floor(bs * (CLEVEL_FACTOR[clevel] ?? 1));
    if (clevel === 9 && highCompressionRatio(cname)) bs *= 2;
  }
  if (clevel > 0 && splitBlock(cname, typesize, bs)) {
    bs = Math.min(bs, SPLIT_CAP) * typesize;
    bs = Math.min(Math.max(bs, 64 * 1024), BLOCK_CLAMP);
  }
  bs = Math.min(bs, nbytes);
  if (bs > typesize) bs = Math.floor(bs / typesize) * typesize;
  return bs;
}
