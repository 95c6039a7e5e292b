import { BloscError, corrupt } from "./errors.js";
import { arena } from "./wasm/arena.js";

// Public byte-array access to the LZ4 raw-block kernels, for containers other than Blosc
// chunks (the LZ4 frame format that Arrow IPC compression uses is a sequence of such blocks).
// Like the chunk codec they run in the shared arena, so they are synchronous after ready().

/** The largest output LZ4 can produce for `n` input bytes (LZ4_compressBound). */
export function lz4CompressBound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

/** LZ4's own limit on one block's input (LZ4_MAX_INPUT_SIZE). */
const MAX_INPUT = 0x7e000000;

/**
 * Compresses `src` as one raw LZ4 block (no frame, no size prefix). `acceleration` trades
 * ratio for speed as in LZ4_compress_fast (1 = default ratio, higher = faster).
 *
 * @example
 * await ready();
 * const block = lz4CompressBlock(new TextEncoder().encode("abcabcabcabc"));
 * lz4DecompressBlock(block, 12); // the 12 original bytes
 */
export function lz4CompressBlock(src: Uint8Array, acceleration = 1): Uint8Array {
  if (src.length > MAX_INPUT) {
    throw new BloscError("ERR_BAD_PARAMS", `an LZ4 block holds at most ${MAX_INPUT} bytes, got ${src.length}`);
  }
  const a = arena();
  a.reset();
  const s = a.put(src);
  const cap = lz4CompressBound(src.length);
  const d = a.alloc(cap);
  const n = a.kernels.lz4Compress(s, src.length, d, cap, Math.max(1, Math.floor(acceleration)));
  // With a capacity of compressBound the encoder always fits; 0 would be a kernel bug.
  if (n <= 0) throw new BloscError("ERR_BAD_PARAMS", `lz4 failed to compress ${src.length} bytes`);
  return a.bytes().slice(d, d + n);
}

/**
 * Decodes one raw LZ4 block whose output is at most `maxLen` bytes and returns exactly the
 * bytes it produced: a view of `out` when given (which must hold `maxLen` bytes), otherwise a
 * new array. Callers that know the exact size compare the result's length with it.
 * Malformed input throws ERR_CORRUPT_CHUNK; it never reads or writes out of bounds.
 *
 * @example
 * const bytes = lz4DecompressBlock(block, 65536); // bytes.length = the decoded size
 */
export function lz4DecompressBlock(src: Uint8Array, maxLen: number, out?: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(maxLen) || maxLen < 0 || maxLen > 0x7fffffff) {
    throw new BloscError("ERR_BAD_PARAMS", `bad LZ4 output size ${maxLen}`);
  }
  if (out !== undefined && out.length < maxLen) {
    throw new BloscError("ERR_BUFFER_TOO_SMALL", `output holds ${out.length} bytes, ${maxLen} needed`);
  }
  if (src.length === 0) throw corrupt("empty LZ4 block");
  const a = arena();
  a.reset();
  const s = a.put(src);
  const d = a.alloc(maxLen);
  const n = a.kernels.lz4Decompress(s, src.length, d, maxLen);
  if (n < 0) throw corrupt(`LZ4 block of ${src.length} bytes is malformed (code ${n}, output limit ${maxLen})`);
  const view = a.bytes().subarray(d, d + n);
  if (out === undefined) return view.slice();
  out.set(view);
  return out.subarray(0, n);
}
