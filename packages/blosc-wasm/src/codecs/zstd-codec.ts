import { BloscError } from "../errors.js";
import type { StreamCodec } from "./stream-codec.js";

// zstd comes from @bokuweb/zstd-wasm (the reference zstd compiled with emscripten). Its
// convenience functions create a fresh context and malloc two buffers per call, which costs
// more than decoding a 256 KB block; so we drive the exported C functions directly with one
// reusable context per direction and grow-only buffers.

interface EmscriptenZstd {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _ZSTD_isError(code: number): number;
  _ZSTD_createCCtx(): number;
  _ZSTD_createDCtx(): number;
  _ZSTD_compress_usingDict(
    cctx: number,
    dst: number,
    cap: number,
    src: number,
    len: number,
    dict: number,
    dictLen: number,
    level: number,
  ): number;
  _ZSTD_decompress_usingDict(
    dctx: number,
    dst: number,
    cap: number,
    src: number,
    len: number,
    dict: number,
    dictLen: number,
  ): number;
}

interface ZstdState {
  mod: EmscriptenZstd;
  cctx: number;
  dctx: number;
  buffers: { ptr: number; size: number }[];
}

let state: ZstdState | undefined;
let failure: unknown;

/** Loads the zstd wasm build once. A failure is remembered and reported when zstd is used. */
export async function loadZstd(): Promise<void> {
  if (state !== undefined || failure !== undefined) return;
  try {
    const pkg = (await import("@bokuweb/zstd-wasm")) as unknown as { init(): Promise<void> };
    await pkg.init();
    const mod = await innerModule();
    state = { mod, cctx: mod._ZSTD_createCCtx(), dctx: mod._ZSTD_createDCtx(), buffers: [] };
  } catch (e) {
    failure = e;
  }
}

/**
 * The emscripten Module behind the package's entry. The package exports only its convenience
 * API, so we require its sibling file by path (Node resolves the entry for us); the entry has
 * already initialised this same module instance.
 */
async function innerModule(): Promise<EmscriptenZstd> {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@bokuweb/zstd-wasm");
  const inner = require(entry.replace(/index\.node\.js$/, "module.js")) as { Module?: EmscriptenZstd };
  if (inner.Module?._ZSTD_createDCtx === undefined) throw new Error(`no zstd Module beside ${entry}`);
  return inner.Module;
}

function zstd(): ZstdState {
  if (state === undefined) {
    throw new BloscError("ERR_UNSUPPORTED", "the zstd codec is not available in this environment", { cause: failure });
  }
  return state;
}

/** A grow-only buffer in zstd's own memory; slot 0 holds input, slot 1 output. */
function buffer(s: ZstdState, slot: number, size: number): number {
  const b = s.buffers[slot];
  if (b !== undefined && b.size >= size) return b.ptr;
  if (b !== undefined) s.mod._free(b.ptr);
  const grown = Math.max(size, 64 * 1024, (b?.size ?? 0) * 2);
  const ptr = s.mod._malloc(grown);
  if (ptr === 0) throw new BloscError("ERR_UNSUPPORTED", `zstd could not allocate ${grown} bytes`);
  s.buffers[slot] = { ptr, size: grown };
  return ptr;
}

/**
 * The content size a zstd frame header declares, or -1 when absent (RFC 8878 §3.1.1.1).
 * Checked before decoding so a hostile header cannot make us trust a size.
 */
export function zstdContentSize(frame: Uint8Array): number {
  if (frame.length < 6 || frame[0] !== 0x28 || frame[1] !== 0xb5 || frame[2] !== 0x2f || frame[3] !== 0xfd) return -1;
  const fhd = frame[4]!;
  const fcsFlag = fhd >>> 6;
  const singleSegment = (fhd >>> 5) & 1;
  const dictFlag = fhd & 3;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictFlag]!;
  const size = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
  if (size === 0 || at + size > frame.length) return -1;
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + frame[at + i]!;
  return size === 2 ? value + 256 : value;
}

/** zstd frames; level = 2 * clevel - 1, and clevel 9 = zstd's maximum (22), as c-blosc maps it. */
export const zstdCodec: StreamCodec = {
  encode(a, src, len, dst, cap, clevel) {
    const s = zstd();
    const level = clevel < 9 ? 2 * clevel - 1 : 22;
    const inPtr = buffer(s, 0, len);
    const outPtr = buffer(s, 1, cap);
    s.mod.HEAPU8.set(a.bytes().subarray(src, src + len), inPtr);
    const n = s.mod._ZSTD_compress_usingDict(s.cctx, outPtr, cap, inPtr, len, 0, 0, level);
    if (s.mod._ZSTD_isError(n)) return 0; // typically "dst too small": stored raw
    a.bytes().set(s.mod.HEAPU8.subarray(outPtr, outPtr + n), dst);
    return n;
  },
  decode(a, src, len, dst, outLen) {
    const frame = a.bytes().subarray(src, src + len);
    if (zstdContentSize(frame) !== outLen) return -3;
    const s = zstd();
    const inPtr = buffer(s, 0, len);
    const outPtr = buffer(s, 1, outLen);
    s.mod.HEAPU8.set(frame, inPtr);
    const n = s.mod._ZSTD_decompress_usingDict(s.dctx, outPtr, outLen, inPtr, len, 0, 0);
    if (s.mod._ZSTD_isError(n) || n !== outLen) return -1;
    a.bytes().set(s.mod.HEAPU8.subarray(outPtr, outPtr + outLen), dst);
    return outLen;
  },
};
