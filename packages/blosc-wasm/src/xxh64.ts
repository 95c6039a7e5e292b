import { BloscError } from "./errors.js";
import { arena } from "./wasm/arena.js";

/**
 * XXH64 with seed 0 of `bytes`, as an unsigned 64-bit bigint: the checksum colz writes into
 * chunk sidecars (about 4x faster here than node:zlib's CRC-32). Bytes that already live in
 * the codec's memory (the chunk `decompressFrom` hands to its `fill`) are hashed in place, so
 * a chunk read into the codec is checked without another copy; other bytes are copied in
 * above any region in use, so it is safe to call inside `fill`. Needs `await ready()` first.
 *
 * @example
 * await ready();
 * xxh64(new TextEncoder().encode("abc")); // 0x44bc2cf5ad770999n
 */
export function xxh64(bytes: Uint8Array): bigint {
  if (!(bytes instanceof Uint8Array)) throw new BloscError("ERR_BAD_PARAMS", "xxh64: expected a Uint8Array");
  const a = arena();
  const memory = a.bytes();
  const hash =
    bytes.buffer === memory.buffer
      ? a.kernels.xxh64(bytes.byteOffset, bytes.length)
      : a.withCopy(bytes, (ptr) => a.kernels.xxh64(ptr, bytes.length));
  return BigInt.asUintN(64, hash);
}
