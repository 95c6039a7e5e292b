import { loadZstd } from "./codecs/zstd-codec.js";
import { loadKernels } from "./wasm/instance.js";

export { zstdCompressBytes as zstdCompress, zstdDecompressBytes as zstdDecompress } from "./codecs/zstd-codec.js";
export { compress } from "./compress.js";
export { decompress, decompressFrom } from "./decompress.js";
export { BloscError, type BloscErrorCode } from "./errors.js";
export { type ChunkInfo, chunkInfo, HEADER_SIZE } from "./header.js";
export { int64Range } from "./int64-range.js";
export { computeBlocksize } from "./layout.js";
export { lz4CompressBlock, lz4CompressBound, lz4DecompressBlock } from "./lz4-block.js";
export type { ChunkCname, Cname, CompressOptions, Shuffle } from "./params.js";
export { xxh64 } from "./xxh64.js";

let readyPromise: Promise<void> | undefined;

/**
 * Loads the wasm kernels (and the zstd codec) once. Every other function is synchronous and
 * needs this promise to have resolved.
 *
 * @example
 * import { ready, compress, decompress } from "@colz/blosc-wasm";
 * await ready();
 */
export function ready(): Promise<void> {
  readyPromise ??= Promise.all([loadKernels(), loadZstd()]).then(() => undefined);
  return readyPromise;
}

/** Alias of `ready()`, for code that prefers the `init()` spelling. */
export const init = ready;
