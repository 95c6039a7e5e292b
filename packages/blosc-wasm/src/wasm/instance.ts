import { BloscError } from "../errors.js";
import { wasmBase64 } from "../generated/wasm-base64.js";

/** The raw exports of blosc.wasm (see assembly/index.ts). Pointers are byte offsets. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  lz4Decompress(src: number, srcLen: number, dst: number, dstLen: number): number;
  lz4Compress(src: number, srcLen: number, dst: number, dstCap: number, acceleration: number): number;
  lz4hcCompress(src: number, srcLen: number, dst: number, dstCap: number, level: number): number;
  blosclzDecompress(src: number, srcLen: number, dst: number, dstLen: number): number;
  blosclzCompress(
    src: number,
    srcLen: number,
    dst: number,
    dstCap: number,
    clevel: number,
    split: number,
  ): number;
  snappyDecompress(src: number, srcLen: number, dst: number, dstLen: number): number;
  shuffle(typesize: number, len: number, src: number, dst: number): void;
  unshuffle(typesize: number, len: number, src: number, dst: number): void;
  unshuffleGather(typesize: number, len: number, ptrs: number, dst: number): number;
  bitshuffle(typesize: number, len: number, src: number, dst: number, tmp: number): number;
  bitunshuffle(typesize: number, len: number, src: number, dst: number, tmp: number): number;
  /** XXH64 (seed 0); wasm's i64 arrives as a signed bigint. */
  xxh64(p: number, len: number): bigint;
  int64Range(p: number, n: number, unsigned: number, out: number): void;
}

let kernels: KernelExports | undefined;
let loading: Promise<KernelExports> | undefined;

function decodeBase64(text: string): Uint8Array {
  // Buffer is much faster in Node; atob is the portable fallback for browsers.
  const maybeBuffer = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (maybeBuffer) return new Uint8Array(maybeBuffer.from(text, "base64"));
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Instantiates the kernels once; later calls return the same promise. */
export function loadKernels(): Promise<KernelExports> {
  loading ??= (async () => {
    const bytes = decodeBase64(wasmBase64);
    const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort(_msg: number, _file: number, line: number, column: number) {
          throw new BloscError("ERR_CORRUPT_CHUNK", `wasm kernel aborted at ${line}:${column}`);
        },
      },
    });
    kernels = instance.exports as unknown as KernelExports;
    return kernels;
  })();
  return loading;
}

/** The loaded kernels, or a typed error telling the caller to `await ready()` first. */
export function getKernels(): KernelExports {
  if (kernels === undefined) {
    throw new BloscError("ERR_NOT_READY", "blosc-wasm is not initialised: call `await ready()` once before using it");
  }
  return kernels;
}
