import type { Arena } from "../wasm/arena.js";

/**
 * One codec as the chunk frame sees it: streams live in wasm memory at byte offsets, so the
 * wasm kernels run with no copies and the JS codecs (zlib, zstd) copy only what they must.
 */
export interface StreamCodec {
  /** Compresses `len` bytes at `src` into at most `cap` bytes at `dst`; 0 when it does not fit. */
  encode(a: Arena, src: number, len: number, dst: number, cap: number, clevel: number, split: boolean): number;
  /** Decodes the stream at `src` into `dst`; returns the bytes produced (must be `outLen`) or < 0. */
  decode(a: Arena, src: number, len: number, dst: number, outLen: number): number;
}
