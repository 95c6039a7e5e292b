import type { ChunkCname } from "../params.js";
import type { StreamCodec } from "./stream-codec.js";
import { blosclzCodec, lz4Codec, lz4hcCodec, snappyCodec } from "./wasm-codecs.js";
import { zlibCodec } from "./zlib-codec.js";
import { zstdCodec } from "./zstd-codec.js";

/** The codec for each compressor name; decoding uses the header's format, which maps lz4hc to lz4. */
export const CODECS: Record<ChunkCname, StreamCodec> = {
  blosclz: blosclzCodec,
  lz4: lz4Codec,
  lz4hc: lz4hcCodec,
  snappy: snappyCodec,
  zlib: zlibCodec,
  zstd: zstdCodec,
};
