import type { CArrayReader } from "./carray-reader.js";
import { splitRows, type WorkerScanJob } from "./worker-scan.js";

// A range read split between the calling thread and worker threads. The calling thread takes the
// first run of chunks, each worker one of the others; all decode into the same SharedArrayBuffer,
// each into its own bytes, so nothing is copied afterwards. Workers run the calling reader's own
// checks (header against metadata, sidecar CRC-32, codec errors) on the same snapshot.

/**
 * Reads rows [start, end) of `reader` into `dest` with up to `threads` threads when that is
 * possible: the store offers `scanInWorkers`, `dest` lives in a SharedArrayBuffer and the rows
 * touch at least two chunks. `readHere` reads a run on this thread. Returns false (having read
 * nothing) when the read should run on one thread instead. When several parts fail, the error of
 * the first (lowest rows) is thrown, so the same damage gives the same error at any thread count.
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
  const runs = splitRows(start, end, reader.chunklen, threads);
  if (runs.length < 2) return false;
  const as = reader.atomsize;
  const snapshot = reader.snapshot();
  const jobs: WorkerScanJob[] = runs.slice(1).map(([a, b]) => ({
    prefix: reader.prefix,
    snapshot,
    verifyChecksums: reader.verifiesChecksums,
    start: a,
    end: b,
    buffer: dest.buffer as SharedArrayBuffer,
    byteOffset: dest.byteOffset + (a - start) * as,
  }));
  // Workers first, so they decode while this thread does its own run.
  const pending = store.scanInWorkers(jobs);
  const [a, b] = runs[0]!;
  const here = readHere(a, b, dest.subarray(0, (b - a) * as)).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const results = await Promise.all([
    here,
    ...pending.map((p) =>
      p.then(
        () => undefined,
        (error: unknown) => ({ error }),
      ),
    ),
  ]);
  const failed = results.find((r) => r !== undefined);
  if (failed !== undefined) throw failed.error;
  return true;
}
