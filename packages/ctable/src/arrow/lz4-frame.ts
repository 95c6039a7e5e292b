import { lz4CompressBlock, lz4DecompressBlock } from "@colz/blosc-wasm";
import { ColzError } from "@colz/format";
import { xxh32 } from "./xxhash32.js";

// The LZ4 frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md), which is
// what Arrow IPC means by LZ4_FRAME. Blosc stores raw LZ4 blocks; a frame wraps such blocks
// with a magic number, a descriptor (flags, block size, optional content size) guarded by an
// xxHash32 byte, size-prefixed blocks, an end mark and an optional content checksum.
//
// The raw blocks go through blosc-wasm's SIMD kernels. Frames with *linked* blocks (blocks may
// copy from the previous 64 KB of output; Arrow C++/pyarrow write these by default) are decoded
// by a small JS decoder whenever the kernel, which only sees one block, finds such a reference.

const MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE = 0x184d2a50;
const BLOCK_SIZES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };
const UNCOMPRESSED_BIT = 0x80000000;

/** Options of `lz4FrameEncode`. */
export interface Lz4FrameOptions {
  /** Largest block, 64 KB .. 4 MB; default: the smallest that holds the input, at most 4 MB. */
  blockSize?: 65536 | 262144 | 1048576 | 4194304;
  /** Write the content size in the header (default true: lets a decoder allocate once). */
  contentSize?: boolean;
  /** Append an xxHash32 of the content (default false, like Arrow C++). */
  contentChecksum?: boolean;
  /** LZ4 acceleration (default 1). */
  acceleration?: number;
}

function corrupt(message: string): ColzError {
  return new ColzError("ERR_CORRUPT_CHUNK", `LZ4 frame: ${message}`);
}

/**
 * Compresses `src` as one LZ4 frame with independent blocks.
 *
 * @example
 * const frame = lz4FrameEncode(bytes); // starts 04 22 4d 18
 * lz4FrameDecode(frame); // bytes
 */
export function lz4FrameEncode(src: Uint8Array, options: Lz4FrameOptions = {}): Uint8Array {
  const withSize = options.contentSize ?? true;
  const withChecksum = options.contentChecksum ?? false;
  let id = 4;
  if (options.blockSize !== undefined) {
    id = Number(Object.keys(BLOCK_SIZES).find((k) => BLOCK_SIZES[Number(k)] === options.blockSize));
    if (!(id >= 4 && id <= 7)) throw new ColzError("ERR_BAD_ARGUMENT", `bad LZ4 block size ${options.blockSize}`);
  } else {
    while (id < 7 && BLOCK_SIZES[id]! < src.length) id++;
  }
  const blockMax = BLOCK_SIZES[id]!;
  const header = new Uint8Array(withSize ? 15 : 7);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, MAGIC, true);
  header[4] = 0x40 | 0x20 | (withSize ? 0x08 : 0) | (withChecksum ? 0x04 : 0); // version 01, independent blocks
  header[5] = id << 4;
  if (withSize) hv.setBigUint64(6, BigInt(src.length), true);
  header[header.length - 1] = (xxh32(header.subarray(4, header.length - 1)) >>> 8) & 0xff;

  const blocks: Uint8Array[] = [];
  const storedRaw: boolean[] = [];
  let total = header.length + 4 + (withChecksum ? 4 : 0);
  for (let at = 0; at < src.length; at += blockMax) {
    const raw = src.subarray(at, Math.min(src.length, at + blockMax));
    const packed = lz4CompressBlock(raw, options.acceleration ?? 1);
    // A block that does not shrink is stored as is, flagged by the size's high bit.
    const stored = packed.length >= raw.length;
    const block = stored ? raw : packed;
    blocks.push(block);
    storedRaw.push(stored);
    total += 4 + block.length;
  }
  const out = new Uint8Array(total);
  const ov = new DataView(out.buffer);
  out.set(header, 0);
  let pos = header.length;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    ov.setUint32(pos, storedRaw[b] ? (block.length | UNCOMPRESSED_BIT) >>> 0 : block.length, true);
    out.set(block, pos + 4);
    pos += 4 + block.length;
  }
  ov.setUint32(pos, 0, true); // end mark
  pos += 4;
  if (withChecksum) ov.setUint32(pos, xxh32(src), true);
  return out;
}

/** A growable output: exact when the frame declares its size, doubling otherwise. */
class Output {
  bytes: Uint8Array;
  pos = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  reserve(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.pos + n, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
  }
}

/**
 * Decodes a buffer of one or more LZ4 frames (skippable frames are skipped). Verifies the
 * header checksum, block checksums, content size and content checksum when present. Malformed
 * input throws ERR_CORRUPT_CHUNK.
 *
 * @example
 * const bytes = lz4FrameDecode(frame);
 */
export function lz4FrameDecode(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let out: Output | undefined;
  let at = 0;
  while (at < input.length) {
    if (at + 4 > input.length) throw corrupt(`truncated magic number at byte ${at}`);
    const magic = view.getUint32(at, true);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) {
      if (at + 8 > input.length) throw corrupt(`truncated skippable frame at byte ${at}`);
      at += 8 + view.getUint32(at + 4, true);
      continue;
    }
    if (magic !== MAGIC) throw corrupt(`bad magic number 0x${magic.toString(16)} at byte ${at}`);
    at = decodeFrame(input, view, at + 4, (size) => {
      if (out === undefined) out = new Output(size);
      return out;
    });
  }
  if (out === undefined) return new Uint8Array(0);
  const o: Output = out;
  // Drop the unused tail of a grown buffer so a small result does not pin a large one.
  return o.pos === o.bytes.length ? o.bytes : o.bytes.slice(0, o.pos);
}

function decodeFrame(input: Uint8Array, view: DataView, at: number, output: (size: number) => Output): number {
  if (at + 3 > input.length) throw corrupt("truncated frame descriptor");
  const flg = input[at]!;
  const bd = input[at + 1]!;
  if (flg >>> 6 !== 1) throw corrupt(`unsupported version ${flg >>> 6}`);
  if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) throw corrupt("reserved descriptor bits are set");
  if ((flg & 0x01) !== 0) throw new ColzError("ERR_UNSUPPORTED", "LZ4 frame: dictionaries (DictID) are not supported");
  const independent = (flg & 0x20) !== 0;
  const blockChecksum = (flg & 0x10) !== 0;
  const hasSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const blockMax = BLOCK_SIZES[bd >>> 4];
  if (blockMax === undefined) throw corrupt(`bad block size id ${bd >>> 4}`);
  const descLen = 2 + (hasSize ? 8 : 0);
  if (at + descLen + 1 > input.length) throw corrupt("truncated frame descriptor");
  const hc = (xxh32(input.subarray(at, at + descLen)) >>> 8) & 0xff;
  if (hc !== input[at + descLen]) throw corrupt(`header checksum mismatch at byte ${at + descLen}`);
  let declared = -1;
  if (hasSize) {
    const size = view.getBigUint64(at + 2, true);
    if (size > 0x7fffffffn) throw new ColzError("ERR_TOO_LARGE", `LZ4 frame declares ${size} bytes`);
    declared = Number(size);
  }
  at += descLen + 1;
  // Sized frames allocate once; otherwise start from the compressed size and grow.
  const out = output(declared >= 0 ? declared : Math.max(blockMax, input.length * 2));
  const start = out.pos;
  for (;;) {
    if (at + 4 > input.length) throw corrupt("truncated block size");
    const word = view.getUint32(at, true);
    at += 4;
    if (word === 0) break;
    const stored = (word & UNCOMPRESSED_BIT) !== 0;
    const size = word & 0x7fffffff;
    if (size > blockMax) throw corrupt(`block of ${size} bytes exceeds the ${blockMax}-byte maximum`);
    if (at + size + (blockChecksum ? 4 : 0) > input.length) throw corrupt("truncated block");
    const data = input.subarray(at, at + size);
    at += size;
    if (blockChecksum) {
      if (xxh32(data) !== view.getUint32(at, true)) throw corrupt(`block checksum mismatch at byte ${at}`);
      at += 4;
    }
    const limit = declared >= 0 ? Math.min(blockMax, start + declared - out.pos) : blockMax;
    out.reserve(limit);
    if (stored) {
      if (size > limit) throw corrupt("content is larger than the declared size");
      out.bytes.set(data, out.pos);
      out.pos += size;
    } else {
      out.pos += decodeBlock(data, out.bytes, out.pos, limit, independent ? out.pos : start);
    }
  }
  if (declared >= 0 && out.pos - start !== declared) {
    throw corrupt(`content is ${out.pos - start} bytes, the header declares ${declared}`);
  }
  if (contentChecksum) {
    if (at + 4 > input.length) throw corrupt("truncated content checksum");
    if (xxh32(out.bytes.subarray(start, out.pos)) !== view.getUint32(at, true))
      throw corrupt("content checksum mismatch");
    at += 4;
  }
  return at;
}

/** Decodes one block at out[pos..pos+limit); matches may reach back to `windowStart`. */
function decodeBlock(src: Uint8Array, out: Uint8Array, pos: number, limit: number, windowStart: number): number {
  if (src.length === 0) throw corrupt("empty compressed block");
  try {
    return lz4DecompressBlock(src, limit, out.subarray(pos, pos + limit)).length;
  } catch (e) {
    // The kernel rejects references before the block's start; linked frames make them legal.
    if (windowStart === pos) throw corrupt(`bad block: ${(e as Error).message}`);
  }
  return decodeLinkedBlock(src, out, pos, pos + limit, windowStart);
}

function decodeLinkedBlock(src: Uint8Array, out: Uint8Array, pos: number, end: number, windowStart: number): number {
  const n = src.length;
  let ip = 0;
  let op = pos;
  for (;;) {
    if (ip >= n) throw corrupt("block ends inside a sequence");
    const token = src[ip++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (ip >= n) throw corrupt("block ends inside a length");
        b = src[ip++]!;
        lit += b;
      } while (b === 255);
    }
    if (ip + lit > n || op + lit > end) throw corrupt("literal run overflows");
    out.set(src.subarray(ip, ip + lit), op);
    ip += lit;
    op += lit;
    if (ip === n) break;
    if (ip + 2 > n) throw corrupt("block ends inside an offset");
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > op - windowStart) throw corrupt(`match offset ${offset} reaches before the window`);
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (ip >= n) throw corrupt("block ends inside a length");
        b = src[ip++]!;
        len += b;
      } while (b === 255);
    }
    len += 4;
    if (op + len > end) throw corrupt("match overflows");
    let m = op - offset;
    if (offset >= len) {
      out.copyWithin(op, m, m + len);
      op += len;
    } else {
      // Overlapping match: a repeating pattern, copied forwards byte by byte.
      for (const stop = op + len; op < stop; ) out[op++] = out[m++]!;
    }
  }
  return op - pos;
}
