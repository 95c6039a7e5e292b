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

/** Upper bound zstdDecompressBytes grows to for a frame that does not declare its size. */
const MAX_UNSIZED_OUTPUT = 1 << 30;

/**
 * Compresses `src` as one standard zstd frame (with its content size) at a zstd level
 * (1..22, default 3). Used for containers other than Blosc chunks, such as Arrow IPC buffers.
 */
export function zstdCompressBytes(src: Uint8Array, level = 3): Uint8Array {
  const s = zstd();
  const lvl = Math.min(22, Math.max(1, Math.floor(level)));
  // ZSTD_compressBound for inputs < 128 KB adds a margin; this formula is its upper bound.
  // ZSTD_COMPRESSBOUND, plus a few bytes of slack for the frame header.
  const small = src.length < 128 << 10 ? ((128 << 10) - src.length) >>> 11 : 0;
  const cap = src.length + Math.floor(src.length / 256) + small + 64;
  const inPtr = buffer(s, 0, Math.max(src.length, 1));
  const outPtr = buffer(s, 1, cap);
  s.mod.HEAPU8.set(src, inPtr);
  const n = s.mod._ZSTD_compress_usingDict(s.cctx, outPtr, cap, inPtr, src.length, 0, 0, lvl);
  if (s.mod._ZSTD_isError(n)) throw new BloscError("ERR_BAD_PARAMS", `zstd failed to compress ${src.length} bytes`);
  return s.mod.HEAPU8.slice(outPtr, outPtr + n);
}

/**
 * Decodes one zstd frame. The size comes from the frame header; a frame without one is
 * decoded into a growing buffer up to 1 GiB. `expected`, when given, must match the size.
 */
export function zstdDecompressBytes(frame: Uint8Array, expected?: number): Uint8Array {
  const s = zstd();
  const declared = zstdContentSize(frame);
  if (expected !== undefined && declared >= 0 && declared !== expected) {
    throw new BloscError("ERR_CORRUPT_CHUNK", `zstd frame declares ${declared} bytes, ${expected} expected`);
  }
  if (declared > 0x7fffffff) throw new BloscError("ERR_CORRUPT_CHUNK", `zstd frame declares ${declared} bytes`);
  let cap = declared >= 0 ? declared : (expected ?? Math.max(frame.length * 4, 1 << 16));
  if (cap > MAX_UNSIZED_OUTPUT && declared < 0) cap = MAX_UNSIZED_OUTPUT;
  for (;;) {
    const inPtr = buffer(s, 0, Math.max(frame.length, 1));
    const outPtr = buffer(s, 1, Math.max(cap, 1));
    s.mod.HEAPU8.set(frame, inPtr);
    const n = s.mod._ZSTD_decompress_usingDict(s.dctx, outPtr, cap, inPtr, frame.length, 0, 0);
    if (!s.mod._ZSTD_isError(n)) {
      if (expected !== undefined && n !== expected) {
        throw new BloscError("ERR_CORRUPT_CHUNK", `zstd frame gave ${n} bytes, ${expected} expected`);
      }
      return s.mod.HEAPU8.slice(outPtr, outPtr + n);
    }
    // Without a declared size the error may just mean "output too small": grow and retry.
    if (declared >= 0 || expected !== undefined || cap >= MAX_UNSIZED_OUTPUT) {
      throw new BloscError("ERR_CORRUPT_CHUNK", `zstd frame of ${frame.length} bytes is malformed`);
    }
    cap = Math.min(cap * 4, MAX_UNSIZED_OUTPUT);
  }
}
