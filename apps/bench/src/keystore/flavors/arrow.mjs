// Arrow IPC: one IPC *file* per key (two columns, one record batch), written by apache-arrow's
// tableToIPC and read with one readFileSync + tableFromIPC + Vector.toArray(). Uncompressed, the
// columns are views of the file's bytes; LZ4_FRAME and ZSTD body compression use the codecs colz
// registers in apache-arrow's compressionRegistry (apache-arrow ships none of its own).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { registerArrowCodecs } from "@colz/ctable/arrow";
import { CompressionType, tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { writeParts } from "./files.mjs";

/** @type {Record<string, CompressionType | null>} */
const COMPRESSION = { none: null, lz4: CompressionType.LZ4_FRAME, zstd: CompressionType.ZSTD };

/**
 * @param {"none" | "lz4" | "zstd"} codec
 * @returns {import("../flavors.mjs").FlavorImpl}
 */
export function arrowFlavor(codec) {
  const compression = COMPRESSION[codec];
  return {
    async writer(dir, { sync }) {
      await registerArrowCodecs();
      return {
        put(key, { i, f }) {
          const bytes = tableToIPC(tableFromArrays({ i, f }), "file", compression);
          writeParts(join(dir, `${key}.arrow`), [bytes], sync);
        },
        close() {},
      };
    },
    async reader(dir) {
      await registerArrowCodecs();
      return {
        get(key) {
          const table = tableFromIPC(readFileSync(join(dir, `${key}.arrow`)));
          const i = table.getChild("i")?.toArray();
          const f = table.getChild("f")?.toArray();
          if (!i || !f) throw new Error(`arrow: ${key}: missing column`);
          return { i, f };
        },
        close() {},
      };
    },
  };
}
