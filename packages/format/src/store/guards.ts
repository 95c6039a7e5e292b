import { ColzError } from "../errors.js";

/**
 * ERR_CLOSED for a call on a store after `close()`.
 *
 * @example
 * if (this.closed) throw closedError(this.description, "get");
 */
export function closedError(description: string, op: string): ColzError {
  return new ColzError("ERR_CLOSED", `${op}() on closed store ${description}`);
}

/**
 * ERR_READ_ONLY for a mutating call on a read-only store; names the store and, when given, the key.
 *
 * @example
 * throw readOnlyError("https://host/t.zip", "set", "meta/sizes");
 */
export function readOnlyError(description: string, op: string, key?: string): ColzError {
  const what = key === undefined ? `${op}()` : `${op}(${JSON.stringify(key)})`;
  return new ColzError("ERR_READ_ONLY", `${what} on read-only store ${description}`);
}

/**
 * Wraps an unexpected error (fs, network) as ERR_IO naming the operation and target; ColzErrors pass through.
 *
 * @example
 * catch (e) { throw ioError(e, `cannot read ${file}`); }
 */
export function ioError(cause: unknown, message: string): ColzError {
  if (cause instanceof ColzError) return cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new ColzError("ERR_IO", `${message}${detail}`, { cause });
}

/**
 * A copy of `bytes` that owns its own buffer (callers may mutate what they passed or got).
 *
 * @example
 * this.map.set(key, copyBytes(value));
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

/**
 * Serialises async operations: each `run` starts after the previous one settled.
 *
 * @example
 * const q = new SerialQueue(); await q.run(() => writeSomething());
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
