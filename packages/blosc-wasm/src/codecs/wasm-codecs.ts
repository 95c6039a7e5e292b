import type { StreamCodec } from "./stream-codec.js";

/** LZ4 with c-blosc's mapping: acceleration = 10 - clevel. */
export const lz4Codec: StreamCodec = {
  encode: (a, src, len, dst, cap, clevel) => a.kernels.lz4Compress(src, len, dst, cap, 10 - clevel),
  decode: (a, src, len, dst, outLen) => a.kernels.lz4Decompress(src, len, dst, outLen),
};

/** LZ4HC: the HC level is the clevel; the stream format is LZ4's. */
export const lz4hcCodec: StreamCodec = {
  encode: (a, src, len, dst, cap, clevel) => a.kernels.lz4hcCompress(src, len, dst, cap, clevel),
  decode: lz4Codec.decode,
};

export const blosclzCodec: StreamCodec = {
  encode: (a, src, len, dst, cap, clevel, split) =>
    a.kernels.blosclzCompress(src, len, dst, cap, clevel, split ? 1 : 0),
  decode: (a, src, len, dst, outLen) => a.kernels.blosclzDecompress(src, len, dst, outLen),
};

/** Snappy is read-only: bcolz and old c-blosc builds wrote it, Blosc2 dropped it. */
export const snappyCodec: StreamCodec = {
  encode: () => 0,
  decode: (a, src, len, dst, outLen) => a.kernels.snappyDecompress(src, len, dst, outLen),
};
