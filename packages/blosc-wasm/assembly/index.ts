// Entry of the wasm module. Every kernel works on raw offsets into linear memory that the
// TypeScript side manages (see src/wasm/arena.ts); kernels never allocate.
export { heapBase } from "./memory";
export { lz4Compress, lz4Decompress, lz4hcCompress } from "./lz4";
export { blosclzCompress, blosclzDecompress } from "./blosclz";
export { snappyDecompress } from "./snappy";
export { shuffle, unshuffle } from "./shuffle";
export { unshuffleGather } from "./unshuffle-gather";
export { bitshuffle, bitunshuffle } from "./bitshuffle";
export { xxh64 } from "./xxh64";
export { int64Range } from "./int64-range";
