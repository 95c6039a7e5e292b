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
 * A worker thread's share of a scan of the carray at `prefix`: the scan's rows are cut into
 * `runs`, and every thread (the calling one and each worker) takes the next untaken run through
 * the shared counter `next` until none is left, so a thread that is slower or starts later
 * simply takes fewer. Run [a, b) is decoded into `buffer` at `byteOffset + (a - start) *
 * atomsize`, with the same checks as on the calling thread.
 *
 * @example
 * const job: WorkerScanJob = { prefix: "price/", snapshot, verifyChecksums: true, runs, next, start: 0, buffer, byteOffset: 0 };
 */
export interface WorkerScanJob {
  prefix: string;
  snapshot: CArraySnapshot;
  verifyChecksums: boolean;
  /** Contiguous row runs covering the scan, in row order. */
  runs: [number, number][];
  /** Int32 slot 0 is the index of the next run to take (`Atomics.add`). */
  next: SharedArrayBuffer;
  /** The scan's first row: where `byteOffset` points. */
  start: number;
  buffer: SharedArrayBuffer;
  byteOffset: number;
}

/** A run a thread failed to read, and why; scans report the failure of the lowest run. */
export interface RunFailure {
  run: number;
  error: unknown;
}

/**
 * Takes runs from the shared counter until none is left and reads each with `read`. Failures do
 * not stop the thread (every run is still read by someone, so the lowest failing run is always
 * found, whatever the timing); the lowest-indexed failure this thread met is returned.
 *
 * @example
 * const failed = await takeRuns(job.runs, new Int32Array(job.next), (k, a, b) => read(a, b));
 */
export async function takeRuns(
  runs: readonly (readonly [number, number])[],
  next: Int32Array,
  read: (run: number, start: number, end: number) => Promise<unknown>,
): Promise<RunFailure | undefined> {
  let failed: RunFailure | undefined;
  for (let k = Atomics.add(next, 0, 1); k < runs.length; k = Atomics.add(next, 0, 1)) {
    const [a, b] = runs[k]!;
    try {
      await read(k, a, b);
    } catch (error) {
      if (failed === undefined || k < failed.run) failed = { run: k, error };
    }
  }
  return failed;
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
 * Splits rows [start, end) into at most `parts` runs of whole chunks (the first and last may
 * start or end mid-chunk), as evenly as chunk boundaries allow, contiguous so a thread reads a
 * run's files in order. Fewer runs when fewer chunks are touched.
 *
 * @example
 * splitRows(0, 10_000, 1000, 2); // [[0, 5000], [5000, 10000]]
 */
export function splitRows(start: number, end: number, chunklen: number, parts: number): [number, number][] {
  const c0 = Math.floor(start / chunklen);
  const c1 = Math.ceil(end / chunklen);
  parts = Math.max(1, Math.min(parts, c1 - c0));
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
