import { BloscError } from "./errors.js";
import { arena } from "./wasm/arena.js";

/**
 * The smallest and largest of the int64 (or, with `signed: false`, uint64) values whose
 * little-endian bytes are `bytes`, or undefined when there are none: a SIMD pass in wasm, for
 * chunk statistics (JavaScript compares 64-bit integers slowly). Needs `await ready()` first.
 *
 * @example
 * await ready();
 * const v = new BigInt64Array([5n, -3n, 9n]);
 * int64Range(new Uint8Array(v.buffer), true); // { min: -3n, max: 9n }
 */
export function int64Range(bytes: Uint8Array, signed: boolean): { min: bigint; max: bigint } | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length % 8 !== 0) {
    throw new BloscError("ERR_BAD_PARAMS", "int64Range: expected a Uint8Array of a whole number of 8-byte values");
  }
  if (bytes.length === 0) return undefined;
  const a = arena();
  return a.withCopy(bytes, (ptr) => {
    const out = a.alloc(16);
    a.kernels.int64Range(ptr, bytes.length / 8, signed ? 0 : 1, out);
    const view = new DataView(a.bytes().buffer, out, 16);
    return signed
      ? { min: view.getBigInt64(0, true), max: view.getBigInt64(8, true) }
      : { min: view.getBigUint64(0, true), max: view.getBigUint64(8, true) };
  });
}
