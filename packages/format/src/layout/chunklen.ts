import { ColzError } from "../errors.js";

/** The smallest chunk colz chooses by itself, in bytes (bcolz's zone 0). */
export const MIN_DEFAULT_CHUNK_BYTES = 256 * 1024;

function checkAtomsize(atomsize: number): void {
  if (!Number.isSafeInteger(atomsize) || atomsize < 1) {
    throw new ColzError("ERR_BAD_ARGUMENT", `atomsize must be a positive integer, got ${String(atomsize)}`);
  }
}

/**
 * bcolz 1.2.1's `utils.calc_chunksize` turned into rows, exactly (reference §8.1): the expected
 * size in MB is clamped to [1e-4, 1e4], its IEEE log10 truncated toward zero picks a zone, the
 * chunk is 4096·2^(zone+6) bytes rounded down to whole atoms (at least one atom).
 *
 * @example
 * bcolzChunklen(8, 0);       // 2048   (16 KB: the empty-array pitfall)
 * bcolzChunklen(8, 1e6);     // 32768  (256 KB)
 * bcolzChunklen(8, 1e7);     // 65536  (512 KB)
 */
export function bcolzChunklen(atomsize: number, expectedlen: number): number {
  checkAtomsize(atomsize);
  if (!Number.isFinite(expectedlen) || expectedlen < 0) {
    throw new ColzError("ERR_BAD_ARGUMENT", `expectedlen must be a non-negative number, got ${String(expectedlen)}`);
  }
  let sizeMB = (expectedlen * atomsize) / (1024 * 1024);
  if (sizeMB > 1e4) sizeMB = 1e4;
  if (sizeMB < 1e-4) sizeMB = 1e-4;
  const zone = Math.trunc(Math.log10(sizeMB)); // Python int() truncates toward zero
  let chunksize = 4096 * Math.trunc(2 ** (zone + 6));
  chunksize = Math.floor(chunksize / atomsize) * atomsize;
  if (chunksize < atomsize) chunksize = atomsize;
  return chunksize / atomsize;
}

/**
 * colz's default rows per chunk. With a known `expectedlen` it is bcolz's rule but never below
 * 256 KB per chunk; without one (a container created empty and grown by appends) it is 256 KB,
 * what bcolz picks for 0.1..10 MB of data. So colz never produces bcolz's 16 KB chunks, which turn
 * a growing array into a huge number of tiny files. Large expected sizes still get bcolz's
 * 512 KB..4 MB chunks. Atoms larger than a chunk give one row per chunk.
 *
 * @example
 * defaultChunklen(8);          // 32768 (256 KB of float64)
 * defaultChunklen(8, 100);     // 32768 (bcolz would say 2048)
 * defaultChunklen(4, 5e7);     // 262144 (1 MB: bcolz's rule for 200 MB)
 */
export function defaultChunklen(atomsize: number, expectedlen?: number): number {
  checkAtomsize(atomsize);
  const minimum = Math.max(1, Math.floor(MIN_DEFAULT_CHUNK_BYTES / atomsize));
  if (expectedlen === undefined) return minimum;
  return Math.max(minimum, bcolzChunklen(atomsize, expectedlen));
}
