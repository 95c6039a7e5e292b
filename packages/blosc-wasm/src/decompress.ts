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

/** Decodes every block of a non-memcpyed chunk held in the arena at `src` into `dst`. */
function decodeBlocks(a: Arena, info: ChunkInfo, src: number, dst: number): void {
  const { nbytes, blocksize, typesize, cbytes, flags, nblocks, split } = info;
  const codec = CODECS[info.cname];
  const leftover = nbytes % blocksize;
  const tmp = a.alloc(blocksize);
  const tmp2 = a.alloc(blocksize);
  const k = a.kernels;
  const mem = a.bytes();
  const view = new DataView(mem.buffer);
  const end = src + cbytes;
  for (let j = 0; j < nblocks; j++) {
    const lastShort = j === nblocks - 1 && leftover > 0;
    const bsize = lastShort ? leftover : blocksize;
    const unshuffle = (flags & FLAG_SHUFFLE) !== 0 && typesize > 1;
    const bitunshuffle = !unshuffle && (flags & FLAG_BITSHUFFLE) !== 0 && bsize >= typesize;
    const blockDst = dst + j * blocksize;
    // Without a filter the streams decode straight into the output.
    const target = unshuffle || bitunshuffle ? tmp : blockDst;
    const nsplits = split && !lastShort ? typesize : 1;
    const neblock = Math.floor(bsize / nsplits);
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
        mem.copyWithin(out, p, p + csize);
      } else {
        const got = codec.decode(a, p, csize, out, neblock);
        if (got !== neblock) {
          throw corrupt(
            `block ${j} stream ${s} (${info.cname}, ${csize} bytes at offset ${p - src}) decoded to ${got < 0 ? "an error" : `${got} bytes`}, expected ${neblock}`,
          );
        }
      }
      p += csize;
    }
    if (unshuffle) {
      k.unshuffle(typesize, bsize, tmp, blockDst);
    } else if (bitunshuffle && k.bitunshuffle(typesize, bsize, tmp, blockDst, tmp2) < 0) {
      throw corrupt(`bitunshuffle failed in block ${j}`);
    }
  }
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
  let target: Uint8Array | undefined;
  if (out !== undefined) {
    const view = asBytes(out, "out");
    if (view.length < info.nbytes) {
      throw new BloscError(
        "ERR_BUFFER_TOO_SMALL",
        `output buffer holds ${view.length} bytes but the chunk decodes to ${info.nbytes}`,
      );
    }
    target = view.subarray(0, info.nbytes);
  }
  if (info.nbytes === 0) return target ?? new Uint8Array(0);
  if (info.memcpyed) {
    const raw = bytes.subarray(HEADER_SIZE, HEADER_SIZE + info.nbytes);
    if (target === undefined) return raw.slice();
    target.set(raw);
    return target;
  }
  checkPlausibleSize(info);
  const a = arena();
  a.reset();
  const src = a.put(bytes.subarray(0, info.cbytes));
  const dst = a.alloc(info.nbytes);
  decodeBlocks(a, info, src, dst);
  const result = a.bytes().subarray(dst, dst + info.nbytes);
  if (target === undefined) return result.slice();
  target.set(result);
  return target;
}
