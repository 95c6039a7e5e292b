import { closedError, copyBytes, readOnlyError } from "./guards.js";
import { InProcessLock } from "./in-process-lock.js";
import { normalizePrefix, sortKeys, validateKey, validateRange, validateValue } from "./keys.js";
import type { LockOptions, Store, WriterLock } from "./types.js";

export interface MemoryStoreOptions {
  /** Initial contents (copied). */
  entries?: Iterable<readonly [string, Uint8Array]>;
  /** When true every mutating call throws ERR_READ_ONLY. */
  readOnly?: boolean;
  /** Used in error messages (default "memory"). */
  description?: string;
}

/**
 * A Store in a `Map`: nothing is persistent, `commit()` does nothing, `getSync` is always
 * available. Values are copied on the way in and out, so neither the caller's buffer nor a
 * returned buffer can change the stored bytes. `lock()` is an in-process lock. Platform-neutral.
 *
 * @example
 * const store = new MemoryStore();
 * await store.set("meta/sizes", new TextEncoder().encode('{"shape": [0]}'));
 * store.getSync("meta/sizes"); // Uint8Array
 */
export class MemoryStore implements Store {
  readonly description: string;
  readonly readOnly: boolean;
  private readonly map = new Map<string, Uint8Array>();
  private readonly writer: InProcessLock;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.description = options.description ?? "memory";
    this.readOnly = options.readOnly ?? false;
    this.writer = new InProcessLock(this.description);
    for (const [key, value] of options.entries ?? []) {
      validateKey(key, this.description);
      validateValue(key, value);
      this.map.set(key, copyBytes(value));
    }
  }

  /** Synchronous `get`. @example store.getSync("meta/sizes") */
  getSync(key: string): Uint8Array | undefined {
    this.check("get", key);
    const v = this.map.get(key);
    return v === undefined ? undefined : copyBytes(v);
  }

  /** @example await store.get("meta/sizes") */
  async get(key: string): Promise<Uint8Array | undefined> {
    return this.getSync(key);
  }

  /** @example await store.getRange("data/__0.blp", 0, 16) // the Blosc header */
  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    this.check("getRange", key);
    validateRange(key, offset, length);
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    const start = Math.min(offset, v.length);
    return v.slice(start, start + Math.min(length, v.length - start));
  }

  /** Synchronous `getRangeInto`. @example store.getRangeIntoSync("data/__0.blp", 0, scratch) */
  getRangeIntoSync(key: string, offset: number, target: Uint8Array): number | undefined {
    this.check("getRange", key);
    validateRange(key, offset, target.length);
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    const start = Math.min(offset, v.length);
    const n = Math.min(target.length, v.length - start);
    target.set(v.subarray(start, start + n));
    return n;
  }

  /** @example await store.size("meta/sizes") */
  async size(key: string): Promise<number | undefined> {
    this.check("size", key);
    return this.map.get(key)?.length;
  }

  /** @example await store.has("meta/sizes") */
  async has(key: string): Promise<boolean> {
    this.check("has", key);
    return this.map.has(key);
  }

  /** Stores a copy of `value`. @example await store.set("__attrs__", bytes) */
  async set(key: string, value: Uint8Array): Promise<void> {
    this.checkWrite("set", key);
    validateValue(key, value);
    this.map.set(key, copyBytes(value));
  }

  /** @example await store.delete("data/__3.blp") */
  async delete(key: string): Promise<void> {
    this.checkWrite("delete", key);
    this.map.delete(key);
  }

  /** @example await store.list("price/") // ["price/__attrs__", "price/data/__0.blp", ...] */
  async list(prefix?: string): Promise<string[]> {
    if (this.closed) throw closedError(this.description, "list");
    const p = normalizePrefix(prefix);
    return sortKeys([...this.map.keys()].filter((k) => k.startsWith(p)));
  }

  /** Nothing to make durable. @example await store.commit() */
  async commit(): Promise<void> {
    if (this.closed) throw closedError(this.description, "commit");
  }

  /** In-process single-writer lock. @example const l = await store.lock(); await l.release(); */
  async lock(options?: LockOptions): Promise<WriterLock> {
    if (this.closed) throw closedError(this.description, "lock");
    if (this.readOnly) throw readOnlyError(this.description, "lock");
    return this.writer.acquire(options);
  }

  /** Drops the contents; later calls throw ERR_CLOSED. Idempotent. @example await store.close() */
  async close(): Promise<void> {
    this.closed = true;
    this.writer.reset();
    this.map.clear();
  }

  private check(op: string, key: string): void {
    if (this.closed) throw closedError(this.description, op);
    validateKey(key, this.description);
  }

  private checkWrite(op: string, key: string): void {
    this.check(op, key);
    if (this.readOnly) throw readOnlyError(this.description, op, key);
  }
}
