import { BloscError, decompress, ready } from "@colz/blosc-wasm";
import { type Dtype, parseDtype } from "../dtype/dtype.js";
import { ColzError } from "../errors.js";
import type { Store } from "../store/types.js";
import { checkChunkNbytes, checkGeometry } from "./carray-geometry.js";
import {
  type CArraySizes,
  type CArrayStorage,
  type CParams,
  parseAttrs,
  parseSizes,
  parseStorage,
} from "./carray-meta.js";
import {
  checkChunkFileHeader,
  chunkFileReadSize,
  chunkInfoOf,
  chunkKey,
  decodeChunkFileSync,
  readChunkFile,
  type SyncReadStore,
} from "./chunk-file.js";
import { ChunkVerifier } from "./chunk-verifier.js";
import { type ChunkStats, chunkStatsKey, parseChunkStats, sidecarMatches } from "./extensions/chunk-stats.js";
import { type ColzMeta, readColzMeta } from "./extensions/colz-meta.js";
import type { PyJsonValue } from "./json.js";
import { getMetaFile, META_LIMITS } from "./meta-io.js";
import { checkPrefix } from "./prefix.js";
import { allocate, keepPrefix } from "./row-buffers.js";
import { runWindowed } from "./run-windowed.js";
import { readRowsInThreads } from "./threaded-rows.js";
import { type CArraySnapshot, checkThreads, type ReadRowsOptions } from "./worker-scan.js";

export { MAX_READ_ALL_BYTES } from "./row-buffers.js";

// Chunks in flight during an asynchronous range read: the next files are read (by the I/O
// threads) while the current chunk decodes, and each decodes into its own part of the output.
const READ_AHEAD = 3;

// Stores that read synchronously (files, memory) are scanned without an await per chunk; such a
// scan still gives the event loop a turn this often, so a long read does not starve timers and I/O.
const YIELD_EVERY_MS = 50;

export interface CArrayReaderOptions {
  /**
   * Check each chunk against its `data/__N.colz` sidecar (CRC-32) when `meta/colz` says the
   * carray keeps sidecars and one exists (default true). Sidecars of full chunks are read once
   * per reader (a snapshot), then cached.
   */
  verifyChecksums?: boolean;
}

/**
 * Reads one carray (a bcolz carray directory, or the same keys under `prefix` in any Store).
 * Only the files the metadata names are opened: stale chunk files, sidecars of other chunks,
 * `._*` files and anything else are ignored (reference §10).
 *
 * @example
 * const r = await CArrayReader.open(store, "price/");
 * const bytes = await r.readAll(); // r.length × r.atomsize bytes, in the dtype's byte order
 */
export class CArrayReader {
  private readonly scratchPool: Uint8Array[] = [];
  /** Bytes per row: itemsize × prod(atomShape). */
  readonly atomsize: number;
  /** Elements per row: prod(atomShape). */
  readonly atomItems: number;
  /** Bytes of a full chunk: chunklen × atomsize. */
  readonly chunksize: number;
  /** Number of chunk files that hold rows: ceil(length / chunklen). */
  readonly nchunks: number;
  /** Full chunks: floor(length / chunklen). */
  readonly nfull: number;
  /** Rows in the last, partial chunk (0 when there is none). */
  readonly leftover: number;
  /** Checksums of this snapshot's chunks; undefined when not checking. */
  private readonly verifier: ChunkVerifier | undefined;
  /** The store, when it reads synchronously (and so can the verifier). */
  private readonly syncStore: SyncReadStore | undefined;
  /** Whether chunks are checked against their sidecars (passed on to worker threads). */
  readonly verifiesChecksums: boolean;

  private constructor(
    readonly store: Store,
    readonly prefix: string,
    readonly dtype: Dtype,
    readonly sizes: CArraySizes,
    readonly storage: CArrayStorage,
    readonly attrs: { [key: string]: PyJsonValue },
    /** `meta/colz` when colz wrote the carray, else undefined. */
    readonly colz: ColzMeta | undefined,
    options: CArrayReaderOptions,
  ) {
    this.atomItems = sizes.shape.slice(1).reduce((a, b) => a * b, 1);
    this.atomsize = dtype.itemsize * this.atomItems;
    this.chunksize = storage.chunklen * this.atomsize;
    this.nfull = Math.floor(this.length / storage.chunklen);
    this.leftover = this.length % storage.chunklen;
    this.nchunks = this.nfull + (this.leftover > 0 ? 1 : 0);
    // Only carrays whose marker promises sidecars are checked: no wasted lookups (HTTP 404s) on bcolz data.
    const verify = (options.verifyChecksums ?? true) && colz?.chunkStats === true;
    this.verifiesChecksums = verify;
    this.verifier = verify ? new ChunkVerifier(store, prefix, dtype, this.nfull) : undefined;
    const syncOk = store.getRangeIntoSync !== undefined && (this.verifier?.canVerifySync ?? true);
    this.syncStore = syncOk ? (store as SyncReadStore) : undefined;
  }

  /**
   * Opens the carray at `prefix` ("" or ending in "/"): reads and validates `meta/sizes`,
   * `meta/storage`, `__attrs__` and `meta/colz`. A missing sizes or storage file is
   * ERR_NOT_A_CONTAINER naming the prefix; inconsistent metadata is ERR_CORRUPT_META naming the file.
   *
   * @example
   * const r = await CArrayReader.open(new MemoryStore(), "");
   */
  static async open(store: Store, prefix: string, options: CArrayReaderOptions = {}): Promise<CArrayReader> {
    checkPrefix(prefix);
    await ready();
    const sizesKey = `${prefix}meta/sizes`;
    const storageKey = `${prefix}meta/storage`;
    const [sizesBytes, storageBytes] = await Promise.all([
      getMetaFile(store, sizesKey, META_LIMITS.meta),
      getMetaFile(store, storageKey, META_LIMITS.meta),
    ]);
    if (sizesBytes === undefined || storageBytes === undefined) {
      const missing = sizesBytes === undefined ? sizesKey : storageKey;
      throw new ColzError("ERR_NOT_A_CONTAINER", `${describe(store, prefix)} is not a carray: ${missing} is missing`);
    }
    const sizes = parseSizes(sizesBytes, sizesKey);
    const storage = parseStorage(storageBytes, storageKey);
    const dtype = parseDtype(storage.dtype, storageKey);
    checkGeometry(sizes, storage, dtype, sizesKey, storageKey);
    const attrsKey = `${prefix}__attrs__`;
    const [attrs, colz] = await Promise.all([
      store.get(attrsKey).then((b) => parseAttrs(b, attrsKey)),
      readColzMeta(store, prefix),
    ]);
    return new CArrayReader(store, prefix, dtype, sizes, storage, attrs, colz, options);
  }

  /**
   * A reader of the same snapshot built from `snapshot()` without reading the store (worker
   * threads use it to see exactly the rows of the reader that sent them the work). The codec
   * must be ready (`await ready()` from @colz/blosc-wasm).
   *
   * @example
   * const r2 = CArrayReader.fromSnapshot(store, "price/", r.snapshot(), { verifyChecksums: r.verifiesChecksums });
   */
  static fromSnapshot(
    store: Store,
    prefix: string,
    snapshot: CArraySnapshot,
    options: CArrayReaderOptions = {},
  ): CArrayReader {
    checkPrefix(prefix);
    const { sizes, storage, colz } = snapshot;
    const dtype = parseDtype(storage.dtype, `${prefix}meta/storage`);
    checkGeometry(sizes, storage, dtype, `${prefix}meta/sizes`, `${prefix}meta/storage`);
    return new CArrayReader(store, prefix, dtype, sizes, storage, {}, colz, options);
  }

  /**
   * The metadata this reader was opened with, structured-cloneable (see `fromSnapshot`).
   *
   * @example
   * worker.postMessage(r.snapshot());
   */
  snapshot(): CArraySnapshot {
    return { sizes: this.sizes, storage: this.storage, colz: this.colz };
  }

  /** Rows: `meta/sizes` shape[0], the only authoritative length. */
  get length(): number {
    return this.sizes.shape[0]!;
  }
  /** Full shape, [length, ...atomShape]. */
  get shape(): readonly number[] {
    return this.sizes.shape;
  }
  /** Shape of one row (empty for 1-D carrays). */
  get atomShape(): readonly number[] {
    return this.sizes.shape.slice(1);
  }
  get chunklen(): number {
    return this.storage.chunklen;
  }
  get cparams(): CParams {
    return this.storage.cparams;
  }
  get expectedlen(): number {
    return this.storage.expectedlen;
  }
  get dflt(): PyJsonValue {
    return this.storage.dflt;
  }

  /**
   * Valid rows in chunk `i` (chunklen for full chunks, the leftover for the last one).
   *
   * @example
   * r.chunkRows(r.nchunks - 1); // 1007
   */
  chunkRows(i: number): number {
    this.checkChunkIndex(i);
    return i < this.nfull ? this.chunklen : this.leftover;
  }

  /**
   * Decodes chunk `i` and returns exactly its valid rows' bytes (chunkRows(i) × atomsize, stored
   * byte order), written into `out` when given. A leftover chunk may hold more rows than valid
   * (older writers, interrupted appends): they are dropped. A chunk whose header disagrees with
   * the metadata, fails its sidecar checksum, is missing or does not decode is ERR_CORRUPT_CHUNK
   * naming the chunk file.
   *
   * @example
   * const rows = toTypedArray(await r.readChunk(0), r.dtype);
   */
  async readChunk(i: number, out?: Uint8Array): Promise<Uint8Array> {
    const { rows, need } = this.checkOut(i, out);
    if (this.syncStore !== undefined) return this.decodeSync(this.syncStore, i, rows, need, out);
    const key = chunkKey(this.prefix, i);
    // The sidecar is fetched alongside the chunk: one round trip, not two, on remote stores.
    const sidecar = this.verifier?.prefetch(i);
    // Chunk files are read into pooled buffers: allocating fresh memory for every chunk costs
    // more than decoding it. A pool (not one buffer) keeps concurrent readChunk calls safe.
    const scratch =
      this.store.getRangeInto === undefined
        ? undefined
        : (this.scratchPool.pop() ?? new Uint8Array(chunkFileReadSize(this.chunksize + 16)));
    try {
      const chunk = await readChunkFile(this.store, key, this.chunksize + 16, scratch);
      if (chunk === undefined) throw this.missing(key);
      const info = chunkInfoOf(chunk, key);
      this.checkHeader(i, key, info.nbytes, rows);
      if (sidecar !== undefined) await this.verifier!.verify(i, sidecar, chunk, info, key);
      try {
        if (info.nbytes === need) return decompress(chunk, out?.subarray(0, need));
        // Extra rows in a leftover chunk: decode whole (bounded by chunksize, checked above), keep the valid prefix.
        return keepPrefix(decompress(chunk), need, out);
      } catch (e) {
        if (e instanceof BloscError)
          throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key}: ${e.message}`, { cause: e });
        throw e;
      }
    } finally {
      if (scratch !== undefined && this.scratchPool.length < 4) this.scratchPool.push(scratch);
    }
  }

  /** The valid rows of chunk `i` and their bytes; refuses an `out` that cannot hold them. */
  private checkOut(i: number, out: Uint8Array | undefined): { rows: number; need: number } {
    const rows = this.chunkRows(i);
    const need = rows * this.atomsize;
    if (out !== undefined && out.length < need) {
      throw new ColzError("ERR_BAD_ARGUMENT", `readChunk(${i}): out holds ${out.length} bytes, ${need} needed`);
    }
    return { rows, need };
  }

  /**
   * readChunk on a store that reads synchronously: the file goes straight into the codec's
   * memory, is checked there (header, checksum) and decoded into `out`, all without an await.
   */
  private decodeSync(store: SyncReadStore, i: number, rows: number, need: number, out?: Uint8Array): Uint8Array {
    const key = chunkKey(this.prefix, i);
    // Only full chunks are sure to decode to exactly `need` bytes; a leftover chunk may hold more.
    const direct = i < this.nfull ? out?.subarray(0, need) : undefined;
    const bytes = decodeChunkFileSync(
      store,
      key,
      this.chunksize + 16,
      (chunk, info) => {
        this.checkHeader(i, key, info.nbytes, rows);
        this.verifier?.verifySync(i, chunk, info, key);
      },
      direct,
    );
    if (bytes === undefined) throw this.missing(key);
    return direct !== undefined ? bytes : keepPrefix(bytes, need, out);
  }

  private missing(key: string): ColzError {
    return new ColzError(
      "ERR_CORRUPT_CHUNK",
      `chunk file ${key} is missing but ${describe(this.store, this.prefix)} has ${this.length} rows`,
    );
  }

  /** The Blosc header's nbytes must agree with the metadata: a full chunk, or the leftover's rows. */
  private checkHeader(i: number, key: string, nbytes: number, rows: number): void {
    checkChunkNbytes(key, nbytes, i < this.nfull, this.chunksize, rows, this.atomsize);
  }

  /**
   * Bytes of rows [start, end), decoding only the chunks they touch, into `out` when given.
   * `threads > 1` splits the chunks between this thread and worker threads (see ReadRowsOptions).
   *
   * @example
   * const bytes = await r.readRows(100, 200); // 100 × atomsize bytes
   * await r.readRows(0, r.length, new Uint8Array(new SharedArrayBuffer(r.length * r.atomsize)), { threads: 2 });
   */
  async readRows(start: number, end: number, out?: Uint8Array, options: ReadRowsOptions = {}): Promise<Uint8Array> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > this.length) {
      throw new ColzError("ERR_BAD_ARGUMENT", `readRows(${start}, ${end}) is outside 0..${this.length}`);
    }
    checkThreads(options.threads, "readRows");
    const total = (end - start) * this.atomsize;
    if (out !== undefined && out.length < total) {
      throw new ColzError("ERR_BAD_ARGUMENT", `readRows: out holds ${out.length} bytes, ${total} needed`);
    }
    const dest = out ?? allocate(total, `${describe(this.store, this.prefix)} rows ${start}..${end}`);
    if (this.syncStore !== undefined) {
      const sync = this.syncStore;
      const threaded = await readRowsInThreads(this, start, end, dest, options.threads ?? 1, (a, b, part) =>
        this.readRowsSync(sync, a, b, part),
      );
      if (!threaded) await this.readRowsSync(sync, start, end, dest);
      return dest.subarray(0, total);
    }
    const L = this.chunklen;
    const tasks: (() => Promise<void>)[] = [];
    for (let row = start; row < end; ) {
      const i = Math.floor(row / L);
      const first = row - i * L;
      const take = Math.min(end, (i + 1) * L) - row;
      const at = (row - start) * this.atomsize;
      if (first === 0 && take === this.chunkRows(i)) {
        tasks.push(async () => {
          await this.readChunk(i, dest.subarray(at, at + take * this.atomsize));
        });
      } else {
        tasks.push(async () => {
          const bytes = await this.readChunk(i);
          dest.set(bytes.subarray(first * this.atomsize, (first + take) * this.atomsize), at);
        });
      }
      row += take;
    }
    await runWindowed(tasks, READ_AHEAD);
    return dest.subarray(0, total);
  }

  /** readRows on a store that reads synchronously: one loop, a turn for the event loop now and then. */
  private async readRowsSync(store: SyncReadStore, start: number, end: number, dest: Uint8Array): Promise<void> {
    const L = this.chunklen;
    const as = this.atomsize;
    let turn = Date.now();
    for (let row = start; row < end; ) {
      const i = Math.floor(row / L);
      const first = row - i * L;
      const take = Math.min(end, (i + 1) * L) - row;
      const rows = this.chunkRows(i);
      const at = (row - start) * as;
      if (first === 0 && take === rows) {
        this.decodeSync(store, i, rows, rows * as, dest.subarray(at, at + take * as));
      } else {
        const bytes = this.decodeSync(store, i, rows, rows * as);
        dest.set(bytes.subarray(first * as, (first + take) * as), at);
      }
      row += take;
      if (row < end && Date.now() - turn >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        turn = Date.now();
      }
    }
  }

  /**
   * Every row (length × atomsize bytes, stored byte order). Checks that the last chunk file
   * exists before allocating, so a lying shape fails as ERR_CORRUPT_CHUNK, not as a huge
   * allocation; results above MAX_READ_ALL_BYTES are ERR_TOO_LARGE.
   *
   * @example
   * const all = toTypedArray(await r.readAll(), r.dtype);
   */
  async readAll(): Promise<Uint8Array> {
    if (this.nchunks > 0) {
      const lastKey = chunkKey(this.prefix, this.nchunks - 1);
      if (!(await this.store.has(lastKey))) {
        throw new ColzError(
          "ERR_CORRUPT_CHUNK",
          `chunk file ${lastKey} is missing but ${describe(this.store, this.prefix)} has ${this.length} rows`,
        );
      }
    }
    return this.readRows(0, this.length);
  }

  /**
   * The `data/__N.colz` sidecar of chunk `i`, or undefined when there is none (bcolz-written
   * carrays, colz writers with statistics off) or when it is stale: its cbytes/nbytes differ
   * from the chunk file's Blosc header (read here, 32 bytes), because another writer replaced
   * the chunk. Min/max bound every row stored in the chunk file.
   *
   * @example
   * const s = await r.readChunkStats(0); // { min: 0, max: 2999, nulls: 0, ... }
   */
  async readChunkStats(i: number): Promise<ChunkStats | undefined> {
    this.checkChunkIndex(i);
    const key = chunkStatsKey(this.prefix, i);
    const bytes = await getMetaFile(this.store, key, META_LIMITS.small);
    if (bytes === undefined) return undefined;
    const stats = parseChunkStats(bytes, key, this.dtype);
    const fileKey = chunkKey(this.prefix, i);
    const head = await this.store.getRange(fileKey, 0, 32);
    if (head === undefined) return undefined;
    const cbytes = checkChunkFileHeader(head, fileKey);
    const nbytes = new DataView(head.buffer, head.byteOffset, 32).getUint32(16 + 4, true);
    return sidecarMatches(stats, cbytes, nbytes) ? stats : undefined;
  }

  private checkChunkIndex(i: number): void {
    if (!Number.isSafeInteger(i) || i < 0 || i >= this.nchunks) {
      throw new ColzError(
        "ERR_BAD_ARGUMENT",
        `chunk index ${i} is outside 0..${this.nchunks - 1} of ${this.prefix || "/"}`,
      );
    }
  }
}

/**
 * Human-readable name of the container at `prefix` in `store`, for messages.
 *
 * @example
 * describe(store, "price/"); // "/data/t.bcolz:price/"
 */
export function describe(store: Store, prefix: string): string {
  return `${store.description}${prefix === "" ? "" : `:${prefix}`}`;
}
