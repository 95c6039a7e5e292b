import type { RunFailure, WorkerScanJob } from "../layout/worker-scan.js";

/**
 * A byte-level key/value store: everything persistent in colz is a set of keys holding bytes,
 * laid out the way bcolz lays out a directory ("meta/sizes", "data/__0.blp", "price/meta/storage").
 * Layouts never know which backend they sit on.
 *
 * Keys are relative, '/'-separated paths. Every segment is non-empty, is not "." or "..",
 * and contains no NUL or backslash; anything else is rejected with ERR_BAD_KEY
 * (see `validateKey`). Callers that need arbitrary user strings encode them first.
 */
export interface Store {
  /** A short human-readable description for error messages, e.g. the path or URL. */
  readonly description: string;
  /** True when every mutating call throws ERR_READ_ONLY. */
  readonly readOnly: boolean;

  /** The whole value, or undefined when the key does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * `length` bytes starting at `offset` (fewer when the value ends first), or undefined when
   * the key does not exist.
   */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined>;
  /** The value's byte length, or undefined when the key does not exist. */
  size(key: string): Promise<number | undefined>;
  /** True when the key exists. */
  has(key: string): Promise<boolean>;
  /**
   * Replaces the value atomically: a reader sees the old bytes or the new bytes, never a mix.
   * Durable once `commit()` returns (backends may make it durable sooner).
   */
  set(key: string, value: Uint8Array): Promise<void>;
  /** Removes the key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix` (default: all), in ascending code-unit order. */
  list(prefix?: string): Promise<string[]>;
  /**
   * Makes every earlier `set`/`delete` durable, in order: after `commit()` returns, a crash
   * loses none of them. Layouts call it before and after writing a commit-point key.
   */
  commit(): Promise<void>;
  /** Takes the single-writer lock (see WriterLock); throws ERR_LOCKED when another writer holds it. */
  lock(options?: LockOptions): Promise<WriterLock>;
  /** Releases resources; later calls throw ERR_CLOSED. Does not commit. */
  close(): Promise<void>;

  /**
   * Optional zero-allocation read: bytes [offset, offset + target.length) of the value into
   * `target`; returns how many were read (fewer when the value ends first), or undefined when the
   * key does not exist. Scans use it to read every chunk file into one reused buffer.
   */
  getRangeInto?(key: string, offset: number, target: Uint8Array): Promise<number | undefined>;

  /**
   * Optional synchronous `getRangeInto`, for backends whose reads are local (files, memory):
   * scans read chunk files with it, without an await per file. Same results and errors.
   */
  getRangeIntoSync?(key: string, offset: number, target: Uint8Array): number | undefined;

  /** Optional synchronous fast path for backends that can read without awaiting. */
  getSync?(key: string): Uint8Array | undefined;

  /**
   * Optional: runs a scan's shares on worker threads, one job per worker, each opening this
   * store's files itself (Node directory stores) and taking runs until none is left. Resolves
   * when the worker has no run left: with undefined, or with the lowest run it failed to read
   * and the ColzError it met (code and message as on this thread). Rejects when the worker
   * itself failed (its runs may be unread). Scans use it for `threads > 1`; stores without it
   * are scanned on the calling thread.
   */
  scanInWorkers?(jobs: readonly WorkerScanJob[]): Promise<RunFailure | undefined>[];
}

export interface LockOptions {
  /** Milliseconds to keep retrying while another live writer holds the lock (default 0). */
  waitMs?: number;
}

/** A held single-writer lock. Locks left by a killed writer are detected as stale and taken over. */
export interface WriterLock {
  release(): Promise<void>;
}
