import { parentPort } from "node:worker_threads";
import { ready } from "@colz/blosc-wasm";
import { isColzError } from "../errors.js";
import { CArrayReader } from "../layout/carray-reader.js";
import { DirectoryStore } from "./directory-store.js";
import type { ScanReply, ScanRequest } from "./scan-pool.js";

// The body of a scan worker thread (see scan-pool.ts). It instantiates the codec once, opens
// each directory store read-only by its root (so the store's own key rules and symlink checks
// keep every read inside the root), and decodes the rows of each job straight into the shared
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

async function run(request: ScanRequest): Promise<void> {
  const { root, job } = request;
  await ready();
  const store = await storeFor(root);
  const reader = readerFor(store, root, request);
  const bytes = (job.end - job.start) * reader.atomsize;
  // The job is one synchronous run on the worker (threads: 1): workers never start workers.
  await reader.readRows(job.start, job.end, new Uint8Array(job.buffer, job.byteOffset, bytes));
}

parentPort!.on("message", (request: ScanRequest) => {
  run(request).then(
    () => parentPort!.postMessage({ id: request.id, ok: true } satisfies ScanReply),
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      const reply: ScanReply = {
        id: request.id,
        ok: false,
        code: isColzError(err) ? err.code : undefined,
        name: err.name,
        message: err.message,
      };
      parentPort!.postMessage(reply);
    },
  );
});
