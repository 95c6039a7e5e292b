import { ColzError } from "../errors.js";
import type { CArraySizes, CArrayStorage } from "./carray-meta.js";
import type { ColzMeta } from "./extensions/colz-meta.js";

// What a scan hands to a worker thread. Everything here is structured-cloneable: the worker
// rebuilds the reader from the snapshot (no metadata reads, so it sees exactly the rows of the
// calling reader's snapshot) and decodes straight into the shared output.

/**
 * The metadata a CArrayReader was opened with; `CArrayReader.fromSnapshot` rebuilds an
 * equivalent reader from it (on another thread) without reading the store.
 *
 * @example
 * const again = CArrayReader.fromSnapshot(store, "price/", reader.snapshot());
 */
export interface CArraySnapshot {
  sizes: CArraySizes;
  storage: CArrayStorage;
  colz: ColzMeta | undefined;
}

/**
 * One part of a scan, run by a worker thread: rows [start, end) of the carray at `prefix`,
 * decoded into `buffer` from `byteOffset` on, with the same checks as on the calling thread.
 *
 * @example
 * const job: WorkerScanJob = { prefix: "price/", snapshot, verifyChecksums: true, start: 0, end: 1e6, buffer, byteOffset: 0 };
 */
export interface WorkerScanJob {
  prefix: string;
  snapshot: CArraySnapshot;
  verifyChecksums: boolean;
  start: number;
  end: number;
  buffer: SharedArrayBuffer;
  byteOffset: number;
}

/** Options of `readRows`. */
export interface ReadRowsOptions {
  /**
   * Threads to decode with (default 1): values > 1 use `threads - 1` worker threads besides the
   * calling one, each decoding its share of the chunks into `out`. Used only when the store can
   * (`Store.scanInWorkers`: Node directory stores), reads synchronously and `out` is backed by a
   * SharedArrayBuffer; otherwise the read runs on the calling thread, silently.
   */
  threads?: number;
}

/** Most threads one read uses; more is refused as a mistake (ERR_BAD_ARGUMENT). */
export const MAX_READ_THREADS = 64;

/**
 * Splits rows [start, end) into at most `threads` runs of whole chunks (the first and last may
 * start or end mid-chunk), as evenly as chunk boundaries allow: one run per thread, contiguous
 * so each thread reads its files in order. Fewer runs when fewer chunks are touched.
 *
 * @example
 * splitRows(0, 10_000, 1000, 2); // [[0, 5000], [5000, 10000]]
 */
export function splitRows(start: number, end: number, chunklen: number, threads: number): [number, number][] {
  const c0 = Math.floor(start / chunklen);
  const c1 = Math.ceil(end / chunklen);
  const parts = Math.max(1, Math.min(threads, c1 - c0));
  const runs: [number, number][] = [];
  let from = start;
  for (let k = 1; k <= parts; k++) {
    const to = k === parts ? end : Math.min(end, (c0 + Math.round(((c1 - c0) * k) / parts)) * chunklen);
    if (to > from) runs.push([from, to]);
    from = Math.max(from, to);
  }
  return runs;
}

/**
 * Refuses a `threads` option that is not an integer in 1..MAX_READ_THREADS (ERR_BAD_ARGUMENT).
 *
 * @example
 * checkThreads(2, "readRows"); // ok
 */
export function checkThreads(threads: number | undefined, what: string): void {
  if (threads === undefined) return;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_READ_THREADS) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `${what}: threads must be an integer in 1..${MAX_READ_THREADS}, got ${String(threads)}`,
    );
  }
}
