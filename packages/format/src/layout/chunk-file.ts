import { BloscError, type ChunkInfo, chunkInfo, decompressFrom } from "@colz/blosc-wasm";
import { ColzError } from "../errors.js";
import type { Store } from "../store/types.js";

// A bcolz chunk file ("data/__N.blp") is a 16-byte "blpk" header followed by exactly one Blosc1
// chunk (reference §7). The header carries nothing useful, but checking it catches files that are
// not chunk files at all; the Blosc header's cbytes says how many bytes to read.

/** Size of the "blpk" header. */
export const CHUNK_FILE_HEADER_SIZE = 16;
const BLOSC_HEADER_SIZE = 16;
const MAGIC = [0x62, 0x6c, 0x70, 0x6b]; // "blpk"

/**
 * The store key of chunk `i` of the carray at `prefix` ("" or ending in "/").
 *
 * @example
 * chunkKey("price/", 3); // "price/data/__3.blp"
 */
export function chunkKey(prefix: string, i: number): string {
  return `${prefix}data/__${i}.blp`;
}

/**
 * Wraps one Blosc1 chunk in a chunk file: "blpk", version 1, 3 reserved zero bytes, nchunks = 1
 * as int64 LE, then the chunk.
 *
 * @example
 * await store.set(chunkKey("", 0), encodeChunkFile(compress(rows, { typesize: 4 })));
 */
export function encodeChunkFile(bloscChunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_FILE_HEADER_SIZE + bloscChunk.length);
  writeChunkFileHeader(out);
  out.set(bloscChunk, CHUNK_FILE_HEADER_SIZE);
  return out;
}

/**
 * Writes the 16-byte "blpk" header into the first bytes of `file`, whose other header bytes
 * must be zero: for a chunk compressed with `headroom: CHUNK_FILE_HEADER_SIZE`, so the file is
 * made without copying the chunk.
 *
 * @example
 * const file = compress(rows, { typesize: 8, headroom: CHUNK_FILE_HEADER_SIZE });
 * writeChunkFileHeader(file); // file is now a complete chunk file
 */
export function writeChunkFileHeader(file: Uint8Array): void {
  file.set(MAGIC, 0);
  file[4] = 1;
  file[8] = 1;
}

function corrupt(key: string, what: string, cause?: unknown): ColzError {
  return new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key}: ${what}`, { cause });
}

/**
 * Checks the 16-byte "blpk" header (magic, version 1, nchunks 1) and the Blosc header after it,
 * given at least the first 32 bytes of the file; returns the Blosc chunk's `cbytes`.
 * ERR_CORRUPT_CHUNK names `key`.
 *
 * @example
 * const cbytes = checkChunkFileHeader(await store.getRange(key, 0, 32), key);
 */
export function checkChunkFileHeader(head: Uint8Array, key: string): number {
  if (head.length < CHUNK_FILE_HEADER_SIZE + BLOSC_HEADER_SIZE) {
    throw corrupt(key, `${head.length} bytes is shorter than the 32-byte blpk + Blosc headers (truncated?)`);
  }
  if (MAGIC.some((b, i) => head[i] !== b)) throw corrupt(key, "bad magic (expected 'blpk')");
  if (head[4] !== 1) throw corrupt(key, `blpk format version ${head[4]} is not 1`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const nchunks = view.getBigInt64(8, true);
  if (nchunks !== 1n) throw corrupt(key, `blpk nchunks is ${nchunks}, expected 1`);
  const version = head[16];
  if (version !== 2) throw corrupt(key, `Blosc header version ${version} is not 2 (not a Blosc1 chunk)`);
  const cbytes = view.getUint32(CHUNK_FILE_HEADER_SIZE + 12, true);
  if (cbytes < BLOSC_HEADER_SIZE) throw corrupt(key, `Blosc cbytes ${cbytes} is smaller than its header`);
  return cbytes;
}

/**
 * The Blosc1 chunk inside a whole chunk file (a view; trailing bytes after cbytes are ignored).
 * Truncated files and bad headers throw ERR_CORRUPT_CHUNK naming `key`.
 *
 * @example
 * const chunk = decodeChunkFile(fileBytes, "data/__0.blp");
 */
export function decodeChunkFile(file: Uint8Array, key: string): Uint8Array {
  const cbytes = checkChunkFileHeader(file, key);
  if (CHUNK_FILE_HEADER_SIZE + cbytes > file.length) {
    throw corrupt(
      key,
      `the Blosc chunk needs ${cbytes} bytes after the blpk header but the file has ${file.length - 16} (truncated)`,
    );
  }
  return file.subarray(CHUNK_FILE_HEADER_SIZE, CHUNK_FILE_HEADER_SIZE + cbytes);
}

/**
 * `chunkInfo` of a chunk, with codec errors turned into ERR_CORRUPT_CHUNK naming `key`.
 *
 * @example
 * const { nbytes } = chunkInfoOf(chunk, "data/__0.blp");
 */
export function chunkInfoOf(chunk: Uint8Array, key: string): ChunkInfo {
  try {
    return chunkInfo(chunk);
  } catch (e) {
    if (e instanceof BloscError) throw corrupt(key, e.message, e);
    throw e;
  }
}

/** How many bytes `readChunkFile` fetches for a carray whose chunks are at most `maxCbytes`. */
export function chunkFileReadSize(maxCbytes: number): number {
  return CHUNK_FILE_HEADER_SIZE + Math.max(maxCbytes, BLOSC_HEADER_SIZE);
}

/**
 * Reads the Blosc chunk of a chunk file from a store, fetching only 16 + cbytes bytes. `maxCbytes`
 * bounds what is fetched (a chunk of `chunksize` bytes is at most chunksize + 16 bytes
 * compressed), so a lying header never drives a large read. Returns undefined when the key does
 * not exist; ERR_CORRUPT_CHUNK names the key for a truncated or malformed file.
 *
 * @example
 * const chunk = await readChunkFile(store, "data/__0.blp", chunksize + 16);
 * // or into a reused buffer of chunkFileReadSize(chunksize + 16) bytes (no allocation):
 * const view = await readChunkFile(store, "data/__0.blp", chunksize + 16, scratch);
 */
export async function readChunkFile(
  store: Store,
  key: string,
  maxCbytes: number,
  scratch?: Uint8Array,
): Promise<Uint8Array | undefined> {
  // One request covers every legal chunk; the header then says how much of it is the chunk.
  const want = chunkFileReadSize(maxCbytes);
  let bytes: Uint8Array | undefined;
  if (scratch !== undefined && store.getRangeInto !== undefined && scratch.length >= want) {
    // The result is a view of `scratch`: valid until the caller reuses that buffer.
    const n = await store.getRangeInto(key, 0, scratch.subarray(0, want));
    bytes = n === undefined ? undefined : scratch.subarray(0, n);
  } else {
    bytes = await store.getRange(key, 0, want);
  }
  if (bytes === undefined) return undefined;
  const cbytes = checkChunkFileHeader(bytes, key);
  if (cbytes > maxCbytes) {
    throw corrupt(key, `Blosc cbytes ${cbytes} exceeds ${maxCbytes}, the most a chunk of this carray can take`);
  }
  return decodeChunkFile(bytes, key);
}

/** A store that can read synchronously (see `Store.getRangeIntoSync`). */
export type SyncReadStore = Store & Required<Pick<Store, "getRangeIntoSync">>;

/**
 * Reads a chunk file synchronously straight into the codec's memory and decodes it: the
 * compressed bytes are never copied, which matters for scans of page-cached files, where that
 * copy costs as much as the read. `inspect` sees the Blosc chunk and its header before it is
 * decoded and may throw (metadata checks, checksums); it must not use the codec. Decodes into
 * `out` (at least the header's nbytes) or a new array; undefined when the key does not exist.
 * Everything wrong with the file or chunk is ERR_CORRUPT_CHUNK naming `key`, as in readChunkFile.
 *
 * @example
 * const rows = decodeChunkFileSync(store, "data/__0.blp", chunksize + 16, (chunk, info) => {}, out);
 */
export function decodeChunkFileSync(
  store: SyncReadStore,
  key: string,
  maxCbytes: number,
  inspect: (chunk: Uint8Array, info: ChunkInfo) => void,
  out?: Uint8Array,
): Uint8Array | undefined {
  try {
    return decompressFrom(
      chunkFileReadSize(maxCbytes),
      (room) => {
        const n = store.getRangeIntoSync(key, 0, room);
        if (n === undefined) return undefined;
        const bytes = room.subarray(0, n);
        const cbytes = checkChunkFileHeader(bytes, key);
        if (cbytes > maxCbytes) {
          throw corrupt(key, `Blosc cbytes ${cbytes} exceeds ${maxCbytes}, the most a chunk of this carray can take`);
        }
        const chunk = decodeChunkFile(bytes, key);
        inspect(chunk, chunkInfoOf(chunk, key));
        return chunk;
      },
      out,
    );
  } catch (e) {
    if (e instanceof BloscError) throw corrupt(key, e.message, e);
    throw e;
  }
}
