import { BloscError } from "../errors.js";
import type { StreamCodec } from "./stream-codec.js";

interface ZstdModule {
  init(): Promise<void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}

let zstd: ZstdModule | undefined;
let zstdFailure: unknown;

/** Loads the zstd wasm build once. Failure is remembered and reported when zstd is used. */
export async function loadZstd(): Promise<void> {
  if (zstd !== undefined || zstdFailure !== undefined) return;
  try {
    const mod = (await import("@bokuweb/zstd-wasm")) as unknown as ZstdModule;
    await mod.init();
    zstd = mod;
  } catch (e) {
    zstdFailure = e;
  }
}

function module(): ZstdModule {
  if (zstd === undefined) {
    throw new BloscError("ERR_UNSUPPORTED", "the zstd codec is not available in this environment", {
      cause: zstdFailure,
    });
  }
  return zstd;
}

/**
 * The content size a zstd frame header declares, or -1 when absent (RFC 8878 §3.1.1.1).
 * Checked before decoding so that a hostile header cannot drive a large allocation.
 */
export function zstdContentSize(frame: Uint8Array): number {
  if (frame.length < 6 || frame[0] !== 0x28 || frame[1] !== 0xb5 || frame[2] !== 0x2f || frame[3] !== 0xfd) return -1;
  const fhd = frame[4]!;
  const fcsFlag = fhd >>> 6;
  const singleSegment = (fhd >>> 5) & 1;
  const dictFlag = fhd & 3;
  let at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictFlag]!;
  const size = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
  if (size === 0 || at + size > frame.length) return -1;
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + frame[at + i]!;
  at += size;
  return size === 2 ? value + 256 : value;
}

/** zstd frames; level = 2 * clevel - 1, and clevel 9 = zstd's maximum (22), as c-blosc maps it. */
export const zstdCodec: StreamCodec = {
  encode(a, src, len, dst, cap, clevel) {
    const level = clevel < 9 ? 2 * clevel - 1 : 22;
    const packed = module().compress(a.bytes().subarray(src, src + len), level);
    if (packed.length > cap) return 0;
    a.bytes().set(packed, dst);
    return packed.length;
  },
  decode(a, src, len, dst, outLen) {
    const frame = a.bytes().subarray(src, src + len);
    if (zstdContentSize(frame) !== outLen) return -3;
    const z = module();
    let plain: Uint8Array;
    try {
      plain = z.decompress(frame);
    } catch {
      return -1;
    }
    if (plain.length !== outLen) return -2;
    a.bytes().set(plain, dst);
    return outLen;
  },
};
