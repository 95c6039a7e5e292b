import { Worker } from "node:worker_threads";
import { ColzError, type ColzErrorCode } from "../errors.js";
import type { RunFailure, WorkerScanJob } from "../layout/worker-scan.js";

// The worker threads of threaded scans (`readRows(..., { threads })` on directory stores): one
// pool per process, created lazily, grown to the most threads a read asked for, reused by every
// store and read. Idle workers are unref'd, so the pool never keeps the process alive; a worker
// is ref'd only while it has work, so a read awaiting a worker does not let the process exit
// under it. `closeScanWorkers()` ends them (later reads start new ones).

/** What the pool sends a worker: one job of the scan of one directory store. */
export interface ScanRequest {
  id: number;
  /** The directory store's root, as given to DirectoryStore.open (the worker opens it read-only). */
  root: string;
  job: WorkerScanJob;
}

/** What a worker answers: every run it took was read, or the lowest it failed and why (ColzError code + message). */
export type ScanReply =
  | { id: number; ok: true }
  | { id: number; ok: false; run: number; code: ColzErrorCode | undefined; name: string; message: string };

interface Pending {
  resolve: (failure: RunFailure | undefined) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

const slots: Slot[] = [];
let nextId = 1;
let jobsRun = 0;

/**
 * Runs `jobs` (the worker shares of one scan of the directory store at `root`) on worker
 * threads, job k on worker k, starting workers as needed. One promise per job: see
 * `Store.scanInWorkers`.
 *
 * @example
 * await Promise.all(runScanJobs("/data/t.bcolz", jobs));
 */
export function runScanJobs(root: string, jobs: readonly WorkerScanJob[]): Promise<RunFailure | undefined>[] {
  while (slots.length < jobs.length) slots.push(startWorker());
  return jobs.map((job, k) => {
    const slot = slots[k]!;
    const id = nextId++;
    jobsRun++;
    return new Promise<RunFailure | undefined>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      const request: ScanRequest = { id, root, job };
      slot.worker.postMessage(request);
    });
  });
}

/**
 * Ends every scan worker; their unfinished jobs reject with ERR_CLOSED. Reads after this start
 * new workers. Not needed for the process to exit (idle workers never keep it alive).
 *
 * @example
 * await closeScanWorkers();
 */
export async function closeScanWorkers(): Promise<void> {
  const all = slots.splice(0);
  await Promise.all(
    all.map(async (slot) => {
      fail(
        slot,
        new ColzError("ERR_CLOSED", "scan worker closed (closeScanWorkers) before its part of the read finished"),
      );
      await slot.worker.terminate();
    }),
  );
}

/**
 * The pool's state, for tests and diagnostics: live workers and jobs sent to workers so far.
 *
 * @example
 * scanWorkerStats(); // { workers: 1, jobs: 12 }
 */
export function scanWorkerStats(): { workers: number; jobs: number } {
  return { workers: slots.length, jobs: jobsRun };
}

function startWorker(): Slot {
  // The worker script is built next to this module's bundle (dist/scan-worker.js).
  const worker = new Worker(new URL("./scan-worker.js", import.meta.url));
  worker.unref();
  const slot: Slot = { worker, pending: new Map() };
  worker.on("message", (reply: ScanReply) => {
    const p = slot.pending.get(reply.id);
    if (p === undefined) return;
    slot.pending.delete(reply.id);
    if (slot.pending.size === 0) worker.unref();
    if (reply.ok) p.resolve(undefined);
    else p.resolve({ run: reply.run, error: rebuild(reply) });
  });
  // A worker that dies (crash, out of memory) fails its jobs and leaves the pool; the next read starts another.
  const drop = (why: unknown) => {
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    fail(
      slot,
      new ColzError("ERR_IO", `scan worker stopped: ${why instanceof Error ? why.message : String(why)}`, {
        cause: why,
      }),
    );
  };
  worker.on("error", drop);
  worker.on("exit", (code) => drop(`exit code ${code}`));
  return slot;
}

function fail(slot: Slot, error: Error): void {
  for (const p of slot.pending.values()) p.reject(error);
  slot.pending.clear();
  slot.worker.unref();
}

/** The worker's error on this thread: the same ColzError code and message (the stack is the worker's loss). */
function rebuild(reply: Extract<ScanReply, { ok: false }>): Error {
  if (reply.code !== undefined) return new ColzError(reply.code, reply.message);
  const e = new Error(reply.message);
  e.name = reply.name;
  return e;
}
