import { ColzError, type Store } from "@colz/format";

// Small constructors for the errors the table layer throws, so every message names the container
// (store description + prefix) and, where there is one, the column.

/**
 * A human-readable name of the container at `prefix` in `store`, for messages.
 *
 * @example
 * where(store, "t/"); // "/data/db:t/"
 */
export function where(store: Store, prefix: string): string {
  return prefix === "" ? store.description : `${store.description}:${prefix}`;
}

/**
 * ERR_BAD_ARGUMENT with `message`.
 *
 * @example
 * throw badArgument(`slice step must not be zero`);
 */
export function badArgument(message: string): ColzError {
  return new ColzError("ERR_BAD_ARGUMENT", message);
}

/**
 * ERR_READ_ONLY for a write to a container opened in mode 'r'.
 *
 * @example
 * throw readOnly("append", "memory:price/");
 */
export function readOnly(op: string, what: string): ColzError {
  return new ColzError("ERR_READ_ONLY", `${op}() on ${what}, which was opened read-only (mode 'r')`);
}

/**
 * ERR_CLOSED for a call after close().
 *
 * @example
 * throw closed("append", "memory:price/");
 */
export function closed(op: string, what: string): ColzError {
  return new ColzError("ERR_CLOSED", `${op}() on ${what} after close()`);
}

/**
 * ERR_BAD_ARGUMENT for an index outside 0..length-1 (after negative indices are resolved).
 *
 * @example
 * throw outOfRange(12, 10, "memory:price/");
 */
export function outOfRange(index: number, length: number, what: string): ColzError {
  return new ColzError("ERR_BAD_ARGUMENT", `index ${index} is out of range for ${what} of length ${length}`);
}
