import { CODECS } from "./codecs/registry.js";
import { BloscError } from "./errors.js";
import {
  CODEC_FORMAT,
  FLAG_BITSHUFFLE,
  FLAG_DONT_SPLIT,
  FLAG_MEMCPYED,
  FLAG_SHUFFLE,
  HEADER_SIZE,
  writeHeader,
} from "./header.js";
import { computeBlocksize, MIN_BUFFERSIZE, splitBlock } from "./layout.js";
import { type CompressOptions, MAX_NBYTES, type ResolvedOptions, resolveOptions } from "./params.js";
import { type Arena, arena } from "./wasm/arena.js";

/** Views any typed array or ArrayBuffer as bytes, without copying. */
export function asBytes(data: ArrayBufferView | ArrayBuffer, what: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new BloscError("ERR_BAD_PARAMS", `${what} must be a typed array, DataView or ArrayBuffer`);
}

function memcpyedChunk(src: Uint8Array, flags: number, o: ResolvedOptions, blocksize: number): Uint8Array {
  const out = new Uint8Array(o.headroom + HEADER_SIZE + src.length);
  const chunk = out.subarray(o.headroom);
  writeHeader(chunk, flags | FLAG_MEMCPYED, o.typesize, src.length, blocksize, chunk.length);
  chunk.set(src, HEADER_SIZE);
  return out;
}

/**
 * Compresses every block into the arena following c-blosc's serial loop (reference §9);
 * returns the chunk length, or 0 when the result would not be smaller than a memcpyed chunk.
 */
function compressBlocks(a: Arena, o: ResolvedOptions, inPtr: number, nbytes: number, blocksize: number, flags: number) {
  const { typesize, clevel, cname } = o;
  const codec = CODECS[cname];
  const destsize = nbytes + HEADER_SIZE;
  const nblocks = Math.ceil(nbytes / blocksize);
  const leftover = nbytes % blocksize;
  const outPtr = a.alloc(destsize);
  const tmp = a.alloc(blocksize);
  const tmp2 = a.alloc(blocksize);
  const k = a.kernels;
  let ntbytes = HEADER_SIZE + 4 * nblocks;
  if (ntbytes >= destsize) return 0;
  const bstarts = new Int32Array(nblocks);
  const doSplit = (flags & FLAG_DONT_SPLIT) === 0;
  for (let j = 0; j < nblocks; j++) {
    bstarts[j] = ntbytes;
    const lastShort = j === nblocks - 1 && leftover > 0;
    const bsize = lastShort ? leftover : blocksize;
    const blockPtr = inPtr + j * blocksize;
    let streamPtr = blockPtr;
    if ((flags & FLAG_SHUFFLE) !== 0 && typesize > 1) {
      k.shuffle(typesize, bsize, blockPtr, tmp);
      streamPtr = tmp;
    } else if ((flags & FLAG_BITSHUFFLE) !== 0 && bsize >= typesize) {
      if (k.bitshuffle(typesize, bsize, blockPtr, tmp, tmp2) < 0) {
        throw new BloscError("ERR_BAD_PARAMS", `bitshuffle failed for a block of ${bsize} bytes`);
      }
      streamPtr = tmp;
    }
    const nsplits = doSplit && !lastShort ? typesize : 1;
    const neblock = Math.floor(bsize / nsplits);
    for (let s = 0; s < nsplits; s++) {
      ntbytes += 4;
      let maxout = neblock;
      if (ntbytes + maxout > destsize) {
        maxout = destsize - ntbytes;
        if (maxout <= 0) return 0;
      }
      const streamSrc = streamPtr + s * neblock;
      // c-blosc hands BloscLZ the chunk's split flag, even for the unsplit last block.
      let csize = codec.encode(a, streamSrc, neblock, outPtr + ntbytes, maxout, clevel, doSplit);
      if (csize <= 0 || csize >= neblock) {
        // A stream of exactly neblock bytes is read as raw, so anything that big is stored raw.
        if (ntbytes + neblock > destsize) return 0;
        a.bytes().copyWithin(outPtr + ntbytes, streamSrc, streamSrc + neblock);
        csize = neblock;
      }
      new DataView(a.bytes().buffer).setInt32(outPtr + ntbytes - 4, csize, true);
      ntbytes += csize;
    }
  }
  const view = new DataView(a.bytes().buffer);
  for (let j = 0; j < nblocks; j++) view.setInt32(outPtr + HEADER_SIZE + 4 * j, bstarts[j]!, true);
  return { outPtr, ntbytes };
}

/**
 * Compresses `src` into one standard Blosc1 chunk that every c-blosc 1.x and 2.x can read.
 * Synchronous; call `await ready()` once first.
 *
 * @example
 * await ready();
 * const chunk = compress(new Float64Array([1, 2, 3]), { typesize: 8, cname: "lz4", clevel: 5, shuffle: "shuffle" });
 */
export function compress(src: ArrayBufferView | ArrayBuffer, options: CompressOptions): Uint8Array {
  const bytes = asBytes(src, "compress input");
  const o = resolveOptions(options);
  const nbytes = bytes.length;
  if (nbytes > MAX_NBYTES) {
    throw new BloscError("ERR_BAD_PARAMS", `input of ${nbytes} bytes exceeds the Blosc1 chunk limit of ${MAX_NBYTES}`);
  }
  const blocksize = computeBlocksize(o.cname, o.clevel, o.typesize, nbytes, o.blocksize);
  let flags = CODEC_FORMAT[o.cname] << 5;
  if (o.shuffle === "shuffle") flags |= FLAG_SHUFFLE;
  if (o.shuffle === "bitshuffle") flags |= FLAG_BITSHUFFLE;
  if (!splitBlock(o.cname, o.typesize, blocksize)) flags |= FLAG_DONT_SPLIT;
  if (nbytes === 0) return memcpyedChunk(bytes, flags, o, 1);
  if (o.clevel === 0 || nbytes < MIN_BUFFERSIZE) return memcpyedChunk(bytes, flags, o, blocksize);

  const a = arena();
  a.reset();
  const inPtr = a.put(bytes);
  const done = compressBlocks(a, o, inPtr, nbytes, blocksize, flags);
  if (done === 0) return memcpyedChunk(bytes, flags, o, blocksize);
  const out = new Uint8Array(o.headroom + done.ntbytes);
  out.set(a.bytes().subarray(done.outPtr, done.outPtr + done.ntbytes), o.headroom);
  writeHeader(out.subarray(o.headroom), flags, o.typesize, nbytes, blocksize, done.ntbytes);
  return out;
}
