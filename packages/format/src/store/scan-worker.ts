import { parentPort } from "node:worker_threads";
import { ready } from "@colz/blosc-wasm";
import { isColzError } from "../errors.js";
import { CArrayReader } from "../layout/carray-reader.js";
import { type RunFailure, takeRuns } from "../layout/worker-scan.js";
import { DirectoryStore } from "./directory-store.js";
import type { ScanReply, ScanRequest } from "./scan-pool.js";

// The body of a scan worker thread (see scan-pool.ts). It instantiates the codec once, opens
// each directory store read-only by its root (so the store's own key rules and symlink checks
// keep every read inside the root), and decodes the runs it takes straight into the shared
// buffer with a CArrayReader rebuilt from the caller's snapshot: the same header, checksum and
// codec checks as on the calling thread, and the same errors.

// Readers are kept per (store, carray, snapshot): their sidecar caches then serve the next scan.
const MAX_READERS = 64;
const MAX_STORES = 16;
const stores = new Map<string, Promise<DirectoryStore>>();
const readers = new Map<string, CArrayReader>();

function storeFor(root: string): Promise<DirectoryStore> {
  let store = stores.get(root);
  if (store === undefined) {
    store = DirectoryStore.open(root, { mode: "r" });
    store.catch(() => stores.delete(root)); // a failed open is retried by the next job
    if (stores.size >= MAX_STORES) {
      const [oldest, s] = stores.entries().next().value!;
      stores.delete(oldest);
      void s.then((x) => x.close()).catch(() => undefined);
    }
    stores.set(root, store);
  }
  return store;
}

function readerFor(store: DirectoryStore, root: string, request: ScanRequest): CArrayReader {
  const { prefix, snapshot, verifyChecksums } = request.job;
  const key = JSON.stringify([root, prefix, verifyChecksums, snapshot]);
  let reader = readers.get(key);
  if (reader === undefined) {
    reader = CArrayReader.fromSnapshot(store, prefix, snapshot, { verifyChecksums });
    if (readers.size >= MAX_READERS) readers.delete(readers.keys().next().value!);
    readers.set(key, reader);
  }
  return reader;
}

/** Takes runs of the job until none is left; the lowest it failed, if any. */
async function run(request: ScanRequest): Promise<RunFailure | undefined> {
  const { root, job } = request;
  const next = new Int32Array(job.next);
  try {
    await ready();
    const store = await storeFor(root);
    const reader = readerFor(store, root, request);
    const as = reader.atomsize;
    // Each run is read synchronously on this worker (threads: 1): workers never start workers.
    return await takeRuns(job.runs, next, (_k, a, b) =>
      reader.readRows(a, b, new Uint8Array(job.buffer, job.byteOffset + (a - job.start) * as, (b - a) * as)),
    );
  } catch (error) {
    // Could not start (store or reader): take no run, so the other threads read them all; the
    // scan still fails, with this error unless a lower run failed too.
    return { run: job.runs.length, error };
  }
}

parentPort!.on("message", (request: ScanRequest) => {
  void run(request).then((failed) => {
    if (failed === undefined) {
      parentPort!.postMessage({ id: request.id, ok: true } satisfies ScanReply);
      return;
    }
    const err = failed.error instanceof Error ? failed.error : new Error(String(failed.error));
    const reply: ScanReply = {
      id: request.id,
      ok: false,
      run: failed.run,
      code: isColzError(err) ? err.code : undefined,
      name: err.name,
      message: err.message,
    };
    parentPort!.postMessage(reply);
  });
});
