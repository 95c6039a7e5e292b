import { corrupt } from "../errors.js";
import { arena } from "./arena.js";

// Byte-array wrappers around single kernels. The chunk codec drives the kernels on wasm
// offsets directly; these wrappers exist for tests, benchmarks and one-off callers.

type Decoder = "lz4Decompress" | "blosclzDecompress" | "snappyDecompress";

function decodeStream(kind: Decoder, src: Uint8Array, outLen: number): Uint8Array {
  const a = arena();
  a.reset();
  const s = a.put(src);
  const d = a.alloc(outLen);
  const n = a.kernels[kind](s, src.length, d, outLen);
  if (n !== outLen) throw corrupt(`${kind} returned ${n} for a stream of ${src.length} bytes expected to give ${outLen}`);
  return a.bytes().slice(d, d + outLen);
}

/** Decodes one raw LZ4 block that must expand to exactly `outLen` bytes. */
export function lz4DecompressBytes(src: Uint8Array, outLen: number): Uint8Array {
  return decodeStream("lz4Decompress", src, outLen);
}

/** Decodes one BloscLZ stream that must expand to exactly `outLen` bytes. */
export function blosclzDecompressBytes(src: Uint8Array, outLen: number): Uint8Array {
  return decodeStream("blosclzDecompress", src, outLen);
}

/** Decodes one raw Snappy buffer that must expand to exactly `outLen` bytes. */
export function snappyDecompressBytes(src: Uint8Array, outLen: number): Uint8Array {
  return decodeStream("snappyDecompress", src, outLen);
}

type Encoder = "lz4" | "lz4hc" | "blosclz";

/**
 * Compresses `src` as one stream with capacity `capacity` (default `src.length`);
 * returns null when the result does not fit, as the Blosc frame expects.
 * `effort` is the acceleration for lz4, the HC level for lz4hc and the clevel for blosclz.
 */
export function compressStreamBytes(
  kind: Encoder,
  src: Uint8Array,
  effort: number,
  capacity = src.length,
  split = true,
): Uint8Array | null {
  const a = arena();
  a.reset();
  const s = a.put(src);
  const d = a.alloc(Math.max(capacity, 1));
  const k = a.kernels;
  const n =
    kind === "lz4"
      ? k.lz4Compress(s, src.length, d, capacity, effort)
      : kind === "lz4hc"
        ? k.lz4hcCompress(s, src.length, d, capacity, effort)
        : k.blosclzCompress(s, src.length, d, capacity, effort, split ? 1 : 0);
  if (n <= 0) return null;
  return a.bytes().slice(d, d + n);
}

type Filter = "shuffle" | "unshuffle" | "bitshuffle" | "bitunshuffle";

/** Applies one filter kernel to a whole block and returns the filtered copy. */
export function filterBytes(kind: Filter, typesize: number, src: Uint8Array): Uint8Array {
  const a = arena();
  a.reset();
  const s = a.put(src);
  const d = a.alloc(src.length);
  const k = a.kernels;
  if (kind === "shuffle" || kind === "unshuffle") {
    k[kind](typesize, src.length, s, d);
  } else {
    const t = a.alloc(src.length);
    const r = k[kind](typesize, src.length, s, d, t);
    if (r < 0) throw corrupt(`${kind} failed with code ${r}`);
  }
  return a.bytes().slice(d, d + src.length);
}
