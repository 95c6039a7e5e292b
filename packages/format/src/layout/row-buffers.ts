import { ColzError } from "../errors.js";

// Output buffers of range reads.

/** `readAll` refuses results larger than this; read chunk by chunk instead. */
export const MAX_READ_ALL_BYTES = 2 ** 32 - 1;

/**
 * The first `need` bytes of a decoded chunk, copied into `out` when given.
 *
 * @example
 * keepPrefix(decoded, 800, out); // out[0..800) = decoded[0..800)
 */
export function keepPrefix(whole: Uint8Array, need: number, out: Uint8Array | undefined): Uint8Array {
  if (out === undefined) return whole.subarray(0, need);
  out.set(whole.subarray(0, need));
  return out.subarray(0, need);
}

/**
 * A new zeroed output of `bytes` bytes for `what` (named in errors): ERR_TOO_LARGE beyond
 * MAX_READ_ALL_BYTES or when the engine cannot allocate it.
 *
 * @example
 * const dest = allocate(800, "price/ rows 0..100");
 */
export function allocate(bytes: number, what: string): Uint8Array {
  if (bytes > MAX_READ_ALL_BYTES) {
    throw new ColzError(
      "ERR_TOO_LARGE",
      `${what}: ${bytes} bytes is more than one read may return; read chunk by chunk`,
    );
  }
  try {
    return new Uint8Array(bytes);
  } catch (e) {
    throw new ColzError("ERR_TOO_LARGE", `${what}: cannot allocate ${bytes} bytes`, { cause: e });
  }
}

/**
 * `buffer` if it holds `need` bytes, else a larger one (double, at least `need`, at most `cap`)
 * holding its first `keep` bytes: for buffers that fill up to one chunk as rows arrive, where a
 * zeroed chunk-sized buffer up front costs more than the rows it will hold.
 *
 * @example
 * buf = grownBuffer(buf, fill + incoming, fill, chunksize);
 */
export function grownBuffer(buffer: Uint8Array, need: number, keep: number, cap: number): Uint8Array {
  if (buffer.length >= need) return buffer;
  const grown = new Uint8Array(Math.min(cap, Math.max(need, 2 * buffer.length)));
  grown.set(buffer.subarray(0, keep));
  return grown;
}
