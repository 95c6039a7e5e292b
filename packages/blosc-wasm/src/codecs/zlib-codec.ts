import { unzlibSync, zlibSync } from "fflate";
import type { StreamCodec } from "./stream-codec.js";

/** zlib streams (RFC 1950) through fflate, which runs everywhere; level = clevel like compress2. */
export const zlibCodec: StreamCodec = {
  encode(a, src, len, dst, cap, clevel) {
    const packed = zlibSync(a.bytes().subarray(src, src + len), { level: clevel as 1 });
    if (packed.length > cap) return 0;
    a.bytes().set(packed, dst);
    return packed.length;
  },
  decode(a, src, len, dst, outLen) {
    // One spare byte (inside the arena's slack) reveals a stream that inflates to more than
    // outLen: fflate silently stops at the end of `out` instead of failing.
    const out = a.bytes().subarray(dst, dst + outLen + 1);
    try {
      const got = unzlibSync(a.bytes().subarray(src, src + len), { out });
      if (got.buffer !== out.buffer || got.byteOffset !== out.byteOffset) return -2;
      return got.length;
    } catch {
      return -1;
    }
  },
};
