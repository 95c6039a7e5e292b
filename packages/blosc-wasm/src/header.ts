import { corrupt } from "./errors.js";
import { type ChunkCname, MAX_BLOCKSIZE, MAX_NBYTES, type Shuffle } from "./params.js";

/** Size of the Blosc1 chunk header. */
export const HEADER_SIZE = 16;
export const BLOSC_VERSION_FORMAT = 2;

export const FLAG_SHUFFLE = 0x01;
export const FLAG_MEMCPYED = 0x02;
export const FLAG_BITSHUFFLE = 0x04;
export const FLAG_RESERVED = 0x08;
export const FLAG_DONT_SPLIT = 0x10;

/** Codec format numbers stored in flags bits 5..7 (not c-blosc's API compressor codes). */
export const CODEC_FORMAT: Record<ChunkCname, number> = {
  blosclz: 0,
  lz4: 1,
  lz4hc: 1,
  snappy: 2,
  zlib: 3,
  zstd: 4,
};
const FORMAT_NAMES: readonly ChunkCname[] = ["blosclz", "lz4", "snappy", "zlib", "zstd"];

/** What a chunk header says, as returned by `chunkInfo`. */
export interface ChunkInfo {
  /** Uncompressed size in bytes. */
  nbytes: number;
  /** Chunk size in bytes, header included. */
  cbytes: number;
  blocksize: number;
  typesize: number;
  shuffle: Shuffle;
  /** Codec of the streams; lz4hc chunks report "lz4" (same stream format). */
  cname: ChunkCname;
  /** True when the payload is the raw data. */
  memcpyed: boolean;
  /** True when full blocks are split into one stream per byte of the element. */
  split: boolean;
  version: number;
  versionlz: number;
  flags: number;
  nblocks: number;
}

function u32(chunk: Uint8Array, at: number): number {
  return (chunk[at]! | (chunk[at + 1]! << 8) | (chunk[at + 2]! << 16) | (chunk[at + 3]! << 24)) >>> 0;
}

/**
 * Parses and validates the 16-byte header, with c-blosc 1.21's checks (reference §2.2)
 * plus the ones a safe reader needs (cbytes within the buffer).
 *
 * @example
 * const { nbytes, cname } = chunkInfo(chunk);
 */
export function chunkInfo(chunk: Uint8Array): ChunkInfo {
  if (!(chunk instanceof Uint8Array)) throw corrupt("expected a Uint8Array");
  if (chunk.length < HEADER_SIZE) throw corrupt(`${chunk.length} bytes is shorter than the 16-byte header`);
  const version = chunk[0]!;
  const versionlz = chunk[1]!;
  const flags = chunk[2]!;
  const typesize = chunk[3]!;
  const nbytes = u32(chunk, 4);
  const blocksize = u32(chunk, 8);
  const cbytes = u32(chunk, 12);
  if (version !== BLOSC_VERSION_FORMAT) {
    const hint = version >= 3 && version <= 6 ? " (a Blosc2 chunk; only Blosc1 chunks are supported)" : "";
    throw corrupt(`header version byte is ${version}, expected 2${hint}`);
  }
  if (cbytes < HEADER_SIZE) throw corrupt(`header cbytes ${cbytes} is smaller than the header`);
  if (cbytes > chunk.length)
    throw corrupt(`header cbytes ${cbytes} exceeds the ${chunk.length} bytes given (truncated?)`);
  const format = flags >>> 5;
  const cname = FORMAT_NAMES[format];
  const memcpyed = (flags & FLAG_MEMCPYED) !== 0;
  const shuffle: Shuffle =
    (flags & FLAG_SHUFFLE) !== 0 ? "shuffle" : (flags & FLAG_BITSHUFFLE) !== 0 ? "bitshuffle" : "noshuffle";
  const base = { nbytes, cbytes, blocksize, typesize, shuffle, memcpyed, version, versionlz, flags };
  if (nbytes === 0) {
    return { ...base, cname: cname ?? "blosclz", split: false, nblocks: 0 };
  }
  if (nbytes > MAX_NBYTES) throw corrupt(`header nbytes ${nbytes} exceeds the Blosc1 maximum ${MAX_NBYTES}`);
  if (blocksize === 0 || blocksize > MAX_BLOCKSIZE) throw corrupt(`header blocksize ${blocksize} is out of range`);
  if (typesize === 0) throw corrupt("header typesize is 0");
  if ((flags & FLAG_RESERVED) !== 0) throw corrupt(`reserved flag bit 3 is set (flags 0x${flags.toString(16)})`);
  if (memcpyed) {
    if (cbytes !== nbytes + HEADER_SIZE) {
      throw corrupt(`memcpyed chunk has cbytes ${cbytes}, expected nbytes + 16 = ${nbytes + HEADER_SIZE}`);
    }
    return { ...base, cname: cname ?? "blosclz", split: false, nblocks: Math.ceil(nbytes / blocksize) };
  }
  if (cname === undefined) throw corrupt(`unknown codec format ${format} in flags 0x${flags.toString(16)}`);
  if (versionlz !== 1) throw corrupt(`codec stream version ${versionlz} is not 1`);
  const nblocks = Math.ceil(nbytes / blocksize);
  if (nblocks > (cbytes - HEADER_SIZE) / 4) {
    throw corrupt(`${nblocks} blocks cannot fit their offsets in cbytes ${cbytes}`);
  }
  const split = (flags & FLAG_DONT_SPLIT) === 0 && typesize <= 16 && Math.floor(blocksize / typesize) >= 128;
  return { ...base, cname, split, nblocks };
}

/** Writes a header into `out` at offset 0. */
export function writeHeader(
  out: Uint8Array,
  flags: number,
  typesize: number,
  nbytes: number,
  blocksize: number,
  cbytes: number,
): void {
  const view = new DataView(out.buffer, out.byteOffset, HEADER_SIZE);
  view.setUint8(0, BLOSC_VERSION_FORMAT);
  view.setUint8(1, 1);
  view.setUint8(2, flags);
  view.setUint8(3, typesize);
  view.setUint32(4, nbytes, true);
  view.setUint32(8, blocksize, true);
  view.setUint32(12, cbytes, true);
}
