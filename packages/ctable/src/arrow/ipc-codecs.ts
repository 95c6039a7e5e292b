import { ready, zstdCompress, zstdDecompress } from "@colz/blosc-wasm";
import { CompressionType, compressionRegistry } from "apache-arrow";
import { lz4FrameDecode, lz4FrameEncode } from "./lz4-frame.js";

// Arrow IPC body compression (LZ4_FRAME and ZSTD) through colz's codecs. apache-arrow's codec
// registry is synchronous, so the wasm codecs are loaded first; after that, apache-arrow's own
// readers and writers (tableFromIPC, tableToIPC, RecordBatch*Writer) use them too.

/** zstd level used for IPC buffers: zstd's default, a good speed/ratio point for columns. */
const ZSTD_LEVEL = 3;

let registered: Promise<void> | undefined;

/**
 * Registers LZ4_FRAME and ZSTD codecs in apache-arrow's compressionRegistry (once; later calls
 * return the same promise). writeIPC and readIPC call it themselves; call it before using
 * apache-arrow's synchronous IPC functions on compressed data.
 *
 * @example
 * import { tableFromIPC } from "apache-arrow";
 * import { registerArrowCodecs } from "@colz/ctable/arrow";
 * await registerArrowCodecs();
 * const table = tableFromIPC(lz4CompressedBytes);
 */
export function registerArrowCodecs(): Promise<void> {
  registered ??= ready().then(() => {
    compressionRegistry.set(CompressionType.LZ4_FRAME, {
      encode: (data: Uint8Array) => lz4FrameEncode(data),
      decode: (data: Uint8Array) => lz4FrameDecode(data),
    });
    compressionRegistry.set(CompressionType.ZSTD, {
      encode: (data: Uint8Array) => zstdCompress(data, ZSTD_LEVEL),
      decode: (data: Uint8Array) => zstdDecompress(data),
    });
  });
  // A failed load (no zstd in this environment, say) may be retried by a later call.
  registered.catch(() => {
    registered = undefined;
  });
  return registered;
}
