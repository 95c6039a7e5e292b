import { CODECS } from "./codecs/registry.js";
import { asBytes } from "./compress.js";
import { BloscError, corrupt } from "./errors.js";
import { type ChunkInfo, chunkInfo, FLAG_BITSHUFFLE, FLAG_SHUFFLE, HEADER_SIZE } from "./header.js";
import { type Arena, arena } from "./wasm/arena.js";

// Largest expansion a stream of each codec can achieve; a header claiming more is corrupt.
// It bounds the output allocation by the input size before anything is allocated.
const MAX_EXPANSION: Record<string, number> = { blosclz: 300, lz4: 300, snappy: 40, zlib: 1100 };

function checkPlausibleSize(info: ChunkInfo): void {
  const factor = MAX_EXPANSION[info.cname];
  if (factor !== undefined && info.nbytes > info.cbytes * factor + info.blocksize) {
    throw corrupt(`header nbytes ${info.nbytes} is impossible for ${info.cbytes} bytes of ${info.cname} data`);
  }
}

// Typesizes with a gathering unshuffle kernel (assembly/unshuffle-gather.ts).
const GATHER_TYPESIZES = new Set([2, 4, 8]);

/**
 * Decodes every block of a non-memcpyed chunk held in the arena at `src` into `dst`.
 *
 * Split blocks with a byte shuffle are unshuffled by gathering from the streams where they are:
 * streams stored raw (csize = neblock: incompressible bytes such as the low mantissa bytes of
 * floats) are read in place inside the chunk instead of being copied to scratch first.
 */
function decodeBlocks(
  a: Arena,
  info: ChunkInfo,
  src: number,
  dst: number,
  sink?: (offset: number, ptr: number, size: number) => void,
): void {
  const { nbytes, blocksize, typesize, cbytes, flags, nblocks, split } = info;
  const codec = CODECS[info.cname];
  const leftover = nbytes % blocksize;
  const tmp = a.alloc(blocksize);
  const tmp2 = a.alloc(blocksize);
  const ptrs = a.alloc(4 * 16);
  const k = a.kernels;
  const mem = a.bytes();
  const view = new DataView(mem.buffer);
  const end = src + cbytes;
  for (let j = 0; j < nblocks; j++) {
    const lastShort = j === nblocks - 1 && leftover > 0;
    const bsize = lastShort ? leftover : blocksize;
    const unshuffle = (flags & FLAG_SHUFFLE) !== 0 && typesize > 1;
    const bitunshuffle = !unshuffle && (flags & FLAG_BITSHUFFLE) !== 0 && bsize >= typesize;
    // With a sink every block lands in the same region and is handed over while still in cache.
    const blockDst = sink === undefined ? dst + j * blocksize : dst;
    // Without a filter the streams decode straight into the output.
    const target = unshuffle || bitunshuffle ? tmp : blockDst;
    const nsplits = split && !lastShort ? typesize : 1;
    const neblock = Math.floor(bsize / nsplits);
    const gather = unshuffle && nsplits === typesize && bsize % typesize === 0 && GATHER_TYPESIZES.has(typesize);
    const bstart = view.getInt32(src + HEADER_SIZE + 4 * j, true);
    if (bstart < HEADER_SIZE + 4 * nblocks || bstart > cbytes - 4) {
      throw corrupt(`block ${j} starts at offset ${bstart}, outside the chunk of ${cbytes} bytes`);
    }
    let p = src + bstart;
    for (let s = 0; s < nsplits; s++) {
      if (p + 4 > end) throw corrupt(`block ${j} stream ${s} header at offset ${p - src} runs past cbytes ${cbytes}`);
      const csize = view.getInt32(p, true);
      p += 4;
      if (csize < 0 || csize > end - p) {
        throw corrupt(`block ${j} stream ${s} claims ${csize} bytes at offset ${p - src - 4}; only ${end - p} remain`);
      }
      const out = target + s * neblock;
      if (csize === neblock) {
        if (gather) view.setUint32(ptrs + 4 * s, p, true);
        else mem.copyWithin(out, p, p + csize);
      } else {
        const got = codec.decode(a, p, csize, out, neblock);
        if (got !== neblock) {
          throw corrupt(
            `block ${j} stream ${s} (${info.cname}, ${csize} bytes at offset ${p - src}) decoded to ${got < 0 ? "an error" : `${got} bytes`}, expected ${neblock}`,
          );
        }
        if (gather) view.setUint32(ptrs + 4 * s, out, true);
      }
      p += csize;
    }
    if (gather) {
      // Split blocks hold >= 128 elements of a gathered typesize, so the kernel always applies.
      if (k.unshuffleGather(typesize, bsize, ptrs, blockDst) !== 0) throw corrupt(`unshuffle failed in block ${j}`);
    } else if (unshuffle) {
      k.unshuffle(typesize, bsize, tmp, blockDst);
    } else if (bitunshuffle && k.bitunshuffle(typesize, bsize, tmp, blockDst, tmp2) < 0) {
      throw corrupt(`bitunshuffle failed in block ${j}`);
    }
    sink?.(j * blocksize, blockDst, bsize);
  }
}

/** The `out` argument as a byte view of exactly `info.nbytes` bytes, or undefined. */
function outputView(info: ChunkInfo, out: ArrayBufferView | ArrayBuffer | undefined): Uint8Array | undefined {
  if (out === undefined) return undefined;
  const view = asBytes(out, "out");
  if (view.length < info.nbytes) {
    throw new BloscError(
      "ERR_BUFFER_TOO_SMALL",
      `output buffer holds ${view.length} bytes but the chunk decodes to ${info.nbytes}`,
    );
  }
  return view.subarray(0, info.nbytes);
}

/** The data of a memcpyed chunk (stored raw after its header). */
function copyStored(chunk: Uint8Array, info: ChunkInfo, target?: Uint8Array): Uint8Array {
  const raw = chunk.subarray(HEADER_SIZE, HEADER_SIZE + info.nbytes);
  if (target === undefined) return raw.slice();
  target.set(raw);
  return target;
}

/**
 * Decodes the chunk already in the arena at `src` (`chunk` is a view of the same bytes) into
 * `target`, or into a new array. Everything allocated after the chunk's region is scratch.
 */
function decodeInArena(a: Arena, chunk: Uint8Array, info: ChunkInfo, src: number, target?: Uint8Array): Uint8Array {
  if (info.memcpyed) return copyStored(chunk, info, target);
  checkPlausibleSize(info);
  // Blocks are decoded one at a time into one block-sized region and copied out right away,
  // while they are still in cache, rather than the whole chunk first and copied out after.
  const out = target ?? new Uint8Array(info.nbytes);
  const dst = a.alloc(Math.min(info.blocksize, info.nbytes));
  // a.bytes() in the sink: decodeBlocks' own scratch allocations may grow (and detach) memory.
  decodeBlocks(a, info, src, dst, (offset, ptr, size) => out.set(a.bytes().subarray(ptr, ptr + size), offset));
  return out;
}

/**
 * Decompresses one Blosc1 chunk (any c-blosc 1.x writer). With `out` (any typed array or
 * ArrayBuffer of at least `nbytes` bytes) the data is written there and a byte view of it is
 * returned; otherwise a new Uint8Array is returned. A malformed chunk throws BloscError
 * ERR_CORRUPT_CHUNK and never reads or writes out of bounds.
 *
 * @example
 * const values = new Float64Array(chunkInfo(chunk).nbytes / 8);
 * decompress(chunk, values);
 */
export function decompress(chunk: ArrayBufferView | ArrayBuffer, out?: ArrayBufferView | ArrayBuffer): Uint8Array {
  const bytes = asBytes(chunk, "chunk");
  const info = chunkInfo(bytes);
  const target = outputView(info, out);
  if (info.nbytes === 0) return target ?? new Uint8Array(0);
  if (info.memcpyed) return copyStored(bytes, info, target);
  const a = arena();
  a.reset();
  const src = a.put(bytes.subarray(0, info.cbytes));
  return decodeInArena(a, bytes, info, src, target);
}

/**
 * `decompress` for a chunk that the caller writes straight into the codec's memory, which saves
 * copying the compressed bytes there: `fill` gets a view of `capacity` writable bytes (for
 * example to `fs.readSync` a file into), and returns the chunk as a subarray of that view, or
 * undefined when there is no chunk (then so does this function). `fill` may inspect and reject
 * the chunk (throw) before it is decoded, but must not call any other function of this package:
 * they reuse the same memory (that is detected and refused). The view is only valid during `fill`.
 *
 * @example
 * const values = new Float64Array(rows);
 * decompressFrom(maxFileBytes, (room) => {
 *   const n = fs.readSync(fd, room, 0, room.length, 0);
 *   return room.subarray(16, n); // a chunk file: skip its 16-byte header
 * }, values);
 */
export function decompressFrom(
  capacity: number,
  fill: (room: Uint8Array) => Uint8Array | undefined,
  out?: ArrayBufferView | ArrayBuffer,
): Uint8Array | undefined {
  if (!Number.isSafeInteger(capacity) || capacity < HEADER_SIZE || capacity > 0x7fffffff) {
    throw new BloscError("ERR_BAD_PARAMS", `decompressFrom: capacity ${capacity} is not a chunk size`);
  }
  const a = arena();
  a.reset();
  const generation = a.generation;
  const ptr = a.alloc(capacity);
  const room = a.bytes().subarray(ptr, ptr + capacity);
  const chunk = fill(room);
  if (chunk === undefined) return undefined;
  if (a.generation !== generation || room.buffer !== a.bytes().buffer) {
    throw new BloscError("ERR_BAD_PARAMS", "decompressFrom: `fill` used the codec, whose memory holds the chunk");
  }
  const src = chunk.byteOffset;
  if (chunk.buffer !== room.buffer || src < ptr || src + chunk.length > ptr + capacity) {
    throw new BloscError("ERR_BAD_PARAMS", "decompressFrom: `fill` must return a subarray of the view it was given");
  }
  const info = chunkInfo(chunk);
  const target = outputView(info, out);
  if (info.nbytes === 0) return target ?? new Uint8Array(0);
  return decodeInArena(a, chunk, info, src, target);
}
