import type { CArrayReader } from "./carray-reader.js";
import { type RunFailure, splitRows, takeRuns, type WorkerScanJob } from "./worker-scan.js";

// A range read shared by the calling thread and worker threads. The rows are cut into runs of
// a few chunks, and each thread takes the next untaken run (a shared atomic counter) until none
// is left: static halves would leave one thread idle whenever the other is slower or starts
// late (a worker's job message takes a moment to arrive). All threads decode into the same
// SharedArrayBuffer, each run into its own bytes, so nothing is copied afterwards. Workers run
// the calling reader's own checks (header against metadata, sidecar checksum, codec errors) on
// the same snapshot.

/** Runs per thread: enough for the shares to even out, few enough that a run spans a few chunks. */
const RUNS_PER_THREAD = 8;

/**
 * Reads rows [start, end) of `reader` into `dest` with up to `threads` threads when that is
 * possible: the store offers `scanInWorkers`, `dest` lives in a SharedArrayBuffer and the rows
 * touch at least two chunks. `readHere` reads a run on this thread. Returns false (having read
 * nothing) when the read should run on one thread instead. When runs fail, the error of the
 * lowest run (lowest rows) is thrown, so the same damage gives the same error at any thread
 * count and timing.
 *
 * @example
 * if (!(await readRowsInThreads(r, 0, n, dest, 2, read))) await read(0, n, dest);
 */
export async function readRowsInThreads(
  reader: CArrayReader,
  start: number,
  end: number,
  dest: Uint8Array,
  threads: number,
  readHere: (start: number, end: number, part: Uint8Array) => Promise<void>,
): Promise<boolean> {
  const store = reader.store;
  if (threads <= 1 || store.scanInWorkers === undefined) return false;
  // SharedArrayBuffer is missing where cross-origin isolation is off; then there is nothing to share.
  if (typeof SharedArrayBuffer === "undefined" || !(dest.buffer instanceof SharedArrayBuffer)) return false;
  const runs = splitRows(start, end, reader.chunklen, threads * RUNS_PER_THREAD);
  if (runs.length < 2) return false;
  const workers = Math.min(threads, runs.length) - 1;
  const as = reader.atomsize;
  const next = new SharedArrayBuffer(4);
  const job: WorkerScanJob = {
    prefix: reader.prefix,
    snapshot: reader.snapshot(),
    verifyChecksums: reader.verifiesChecksums,
    runs,
    next,
    start,
    buffer: dest.buffer as SharedArrayBuffer,
    byteOffset: dest.byteOffset,
  };
  // Workers first, so they join in while this thread takes its first runs.
  const pending = store.scanInWorkers(Array.from({ length: workers }, () => job));
  const here = takeRuns(runs, new Int32Array(next), (_k, a, b) =>
    readHere(a, b, dest.subarray((a - start) * as, (b - start) * as)),
  );
  const outcomes = await Promise.all([
    here,
    ...pending.map((p) => p.catch((error: unknown): RunFailure => ({ run: -1, error }))),
  ]);
  // A worker that died (run -1) may have taken runs it never read: that fails the read first.
  let failed: RunFailure | undefined;
  for (const o of outcomes) if (o !== undefined && (failed === undefined || o.run < failed.run)) failed = o;
  if (failed !== undefined) throw failed.error;
  return true;
}
