import { compress, ready } from "@colz/blosc-wasm";
import { type Dtype, parseDtype, writableDtype } from "../dtype/dtype.js";
import { ColzError } from "../errors.js";
import type { Store } from "../store/types.js";
import {
  type CParams,
  encodeAttrs,
  encodeSizes,
  encodeStorage,
  MAX_CHUNK_BYTES,
  parseSizes,
  parseStorage,
  resolveCParams,
  shuffleName,
  WRITABLE_CNAMES,
} from "./carray-meta.js";
import { describe } from "./carray-reader.js";
import { CHUNK_FILE_HEADER_SIZE, chunkKey, writeChunkFileHeader } from "./chunk-file.js";
import { defaultChunklen } from "./chunklen.js";
import { chunkStatsKey, computeChunkStats, encodeChunkStats } from "./extensions/chunk-stats.js";
import { colzMetaKey, encodeColzMeta, type LogicalType, readColzMeta } from "./extensions/colz-meta.js";
import type { PyJsonValue } from "./json.js";
import { getMetaFile, META_LIMITS } from "./meta-io.js";
import { checkPrefix } from "./prefix.js";

// Commit protocol (FORMAT.md "Commit protocol"). A carray's committed state is its meta/sizes.
//  1. writeChunk() stores whole chunk files with atomic Store.set; a chunk that holds committed
//     rows is only ever replaced by a file that holds the same rows plus possibly more.
//  2. commit(length): store.commit() makes the chunks durable, then meta/sizes is set (atomic) and
//     store.commit() makes it durable. A crash before the sizes commit leaves the old length, whose
//     rows are all intact; chunk files beyond it are stale and ignored by every reader.

/** Empty file written at creation so that `data/` exists for bcolz (it ignores unknown files there). */
export const DATA_DIR_PLACEHOLDER = "data/colz-keep";

export interface CArrayCreateOptions {
  /** NumPy base dtype ("int32", "|S7", "<U5", "datetime64[ns]") or a parsed Dtype. */
  dtype: string | Dtype;
  /** Shape of one row (shape[1:]); default [] (1-D). */
  atomShape?: readonly number[];
  /** Rows per chunk; default `defaultChunklen(atomsize, expectedlen)` (never below 256 KB). */
  chunklen?: number;
  /** Length hint, written to meta/storage (default 0, as bcolz writes for an empty array). */
  expectedlen?: number;
  cparams?: Partial<CParams>;
  /** Fill value recorded in meta/storage (default zero of the dtype). */
  dflt?: PyJsonValue;
  attrs?: { readonly [key: string]: unknown };
  /** Write a `data/__N.colz` sidecar (CRC-32, min/max) with every chunk (default true). */
  chunkStats?: boolean;
  /** Write the `meta/colz` marker (default true); `logicalType`/`nullable` go into it. */
  marker?: boolean;
  logicalType?: LogicalType;
  nullable?: boolean;
}

export interface WriteChunkOptions {
  /** One byte per row (non-zero = valid), used only for the sidecar's null count and min/max. */
  validity?: Uint8Array;
}

/**
 * Writes one carray under `prefix`: creates its metadata, stores whole chunks and commits a
 * new length. Rows are not buffered here (see CArrayAppender). One writer per carray at a time
 * (take `store.lock()` first).
 *
 * @example
 * const w = await CArrayWriter.create(store, "", { dtype: "int32", chunklen: 1000 });
 * await w.writeChunk(0, new Uint8Array(new Int32Array(1000).buffer));
 * await w.commit(1000);
 */
export class CArrayWriter {
  readonly atomItems: number;
  readonly atomsize: number;
  readonly chunksize: number;
  private committed: number;
  /** Rows stored in chunks written by this writer since its last commit. */
  private pendingRows = new Map<number, number>();
  /** Blosc cbytes of chunks this writer wrote (for meta/sizes' informational cbytes). */
  private knownCbytes = new Map<number, number>();
  /** Σ cbytes of the committed full chunks, as bcolz counts it. */
  private fullCbytes: number;

  private constructor(
    readonly store: Store,
    readonly prefix: string,
    readonly dtype: Dtype,
    readonly atomShape: readonly number[],
    readonly chunklen: number,
    readonly cparams: CParams,
    readonly chunkStats: boolean,
    length: number,
    fullCbytes: number,
  ) {
    this.atomItems = atomShape.reduce((a, b) => a * b, 1);
    this.atomsize = dtype.itemsize * this.atomItems;
    this.chunksize = chunklen * this.atomsize;
    this.committed = length;
    this.fullCbytes = fullCbytes;
  }

  /**
   * Creates an empty carray: meta/storage, __attrs__, data/colz-keep and meta/colz, a commit, then meta/sizes
   * with length 0 and a second commit, so a crash leaves either nothing openable or a valid
   * empty carray. An existing carray (meta/sizes present) is ERR_BAD_ARGUMENT.
   *
   * @example
   * const w = await CArrayWriter.create(store, "price/", { dtype: "float64", expectedlen: 1e6 });
   */
  static async create(store: Store, prefix: string, options: CArrayCreateOptions): Promise<CArrayWriter> {
    checkPrefix(prefix);
    await ready();
    const dtype = writableDtype(options.dtype);
    const atomShape = [...(options.atomShape ?? [])];
    let atomsize = dtype.itemsize;
    for (const d of atomShape) {
      if (!Number.isSafeInteger(d) || d < 1) throw bad(`atomShape entries must be positive integers, got ${d}`);
      atomsize *= d;
      if (atomsize > MAX_CHUNK_BYTES) throw bad(`rows of ${atomsize} bytes exceed the Blosc1 chunk limit`);
    }
    const expectedlen = options.expectedlen ?? 0;
    if (!Number.isSafeInteger(expectedlen) || expectedlen < 0) throw bad(`expectedlen must be a non-negative integer`);
    const chunklen = options.chunklen ?? defaultChunklen(atomsize, options.expectedlen);
    if (!Number.isSafeInteger(chunklen) || chunklen < 1)
      throw bad(`chunklen must be a positive integer, got ${chunklen}`);
    if (chunklen * atomsize > MAX_CHUNK_BYTES) {
      throw bad(`chunklen ${chunklen} × ${atomsize} bytes exceeds the Blosc1 chunk limit of ${MAX_CHUNK_BYTES} bytes`);
    }
    const cparams = resolveCParams(options.cparams);
    const storageBytes = encodeStorage({ dtype, cparams, chunklen, expectedlen, dflt: options.dflt });
    const attrsBytes = encodeAttrs(options.attrs ?? {});
    // A crash during creation leaves meta/storage without meta/sizes: that prefix may be reused.
    if (await store.has(`${prefix}meta/sizes`)) throw bad(`${describe(store, prefix)} already holds a carray`);
    if (await store.has(`${prefix}__rootdirs__`)) throw bad(`${describe(store, prefix)} already holds a ctable`);
    const chunkStats = options.chunkStats ?? true;
    await store.set(`${prefix}meta/storage`, storageBytes);
    await store.set(`${prefix}__attrs__`, attrsBytes);
    // bcolz refuses to open a carray without a data/ directory; stores keep only keys, so an
    // empty placeholder makes data/ exist in directory layouts while the carray has no chunks.
    await store.set(`${prefix}${DATA_DIR_PLACEHOLDER}`, new Uint8Array(0));
    if (options.marker ?? true) {
      const logicalType = options.logicalType ?? dtype.str;
      await store.set(
        colzMetaKey(prefix),
        encodeColzMeta({ logicalType, nullable: options.nullable ?? false, chunkStats }),
      );
    }
    const w = new CArrayWriter(store, prefix, dtype, atomShape, chunklen, cparams, chunkStats, 0, 0);
    await w.commit(0);
    return w;
  }

  /**
   * Opens an existing carray (bcolz's or colz's) for writing at its committed length. Chunks are
   * written with the carray's own cparams; a codec colz cannot write (snappy) falls back to lz4
   * for new chunks. Sidecars are written when `chunkStats` is true (default: what meta/colz says,
   * false for bcolz carrays).
   *
   * @example
   * const w = await CArrayWriter.open(store, "price/");
   */
  static async open(store: Store, prefix: string, options: { chunkStats?: boolean } = {}): Promise<CArrayWriter> {
    checkPrefix(prefix);
    await ready();
    const sizesKey = `${prefix}meta/sizes`;
    const storageKey = `${prefix}meta/storage`;
    const [sizesBytes, storageBytes] = await Promise.all([
      getMetaFile(store, sizesKey, META_LIMITS.meta),
      getMetaFile(store, storageKey, META_LIMITS.meta),
    ]);
    if (sizesBytes === undefined || storageBytes === undefined) {
      throw new ColzError(
        "ERR_NOT_A_CONTAINER",
        `${describe(store, prefix)} is not a carray: meta/sizes or meta/storage is missing`,
      );
    }
    const sizes = parseSizes(sizesBytes, sizesKey);
    const storage = parseStorage(storageBytes, storageKey);
    const dtype = writableDtype(parseDtype(storage.dtype, storageKey), storageKey);
    const cname = WRITABLE_CNAMES.includes(storage.cparams.cname) ? storage.cparams.cname : "lz4";
    const cparams = resolveCParams({ ...storage.cparams, cname, quantize: 0 });
    const colz = await readColzMeta(store, prefix);
    const atomShape = sizes.shape.slice(1);
    const atomsize = dtype.itemsize * atomShape.reduce((a, b) => a * b, 1);
    const chunksize = storage.chunklen * atomsize;
    if (chunksize > MAX_CHUNK_BYTES || atomsize === 0) {
      throw new ColzError("ERR_CORRUPT_META", `${storageKey}: chunks of ${chunksize} bytes cannot be written`);
    }
    const fullCbytes = Math.max(0, sizes.cbytes - chunksize);
    const stats = options.chunkStats ?? colz?.chunkStats ?? false;
    return new CArrayWriter(
      store,
      prefix,
      dtype,
      atomShape,
      storage.chunklen,
      cparams,
      stats,
      sizes.shape[0]!,
      fullCbytes,
    );
  }

  /** The committed length (meta/sizes shape[0]). */
  get length(): number {
    return this.committed;
  }

  /**
   * Compresses `rowsBytes` (1..chunklen whole rows, stored byte order) and stores it as chunk
   * `i`, atomically replacing any previous file; the sidecar is removed first and rewritten after,
   * so a sidecar never describes another chunk's bytes. Rewriting a chunk that holds committed
   * rows must keep all of them (ERR_BAD_ARGUMENT otherwise): only `commit` can shorten a carray.
   *
   * @example
   * await w.writeChunk(3, rows); // visible to readers after w.commit(newLength)
   */
  async writeChunk(i: number, rowsBytes: Uint8Array, options: WriteChunkOptions = {}): Promise<void> {
    if (!Number.isSafeInteger(i) || i < 0) throw bad(`chunk index must be a non-negative integer, got ${i}`);
    if (!(rowsBytes instanceof Uint8Array)) throw bad("rows must be a Uint8Array");
    if (rowsBytes.length === 0 || rowsBytes.length % this.atomsize !== 0 || rowsBytes.length > this.chunksize) {
      throw bad(`chunk ${i}: ${rowsBytes.length} bytes is not 1..${this.chunklen} rows of ${this.atomsize} bytes`);
    }
    const rows = rowsBytes.length / this.atomsize;
    const committedRows = Math.min(this.chunklen, Math.max(0, this.committed - i * this.chunklen));
    if (rows < committedRows) {
      throw bad(`chunk ${i} holds ${committedRows} committed rows; rewriting it with ${rows} would lose some`);
    }
    if (options.validity !== undefined && options.validity.length < rows)
      throw bad(`chunk ${i}: validity is shorter than the rows`);
    // Compressed after room for the file header, so the chunk file is made without a copy.
    const file = compress(rowsBytes, {
      typesize: this.dtype.typesize,
      clevel: this.cparams.clevel,
      shuffle: shuffleName(this.cparams.shuffle),
      cname: this.cparams.cname as "lz4",
      headroom: CHUNK_FILE_HEADER_SIZE,
    });
    writeChunkFileHeader(file);
    const chunk = file.subarray(CHUNK_FILE_HEADER_SIZE);
    const statsKey = chunkStatsKey(this.prefix, i);
    await this.store.delete(statsKey);
    await this.store.set(chunkKey(this.prefix, i), file);
    if (this.chunkStats) {
      const stats = computeChunkStats(chunk, rowsBytes, this.dtype, this.atomItems, options.validity);
      await this.store.set(statsKey, encodeChunkStats(stats, this.dtype));
    }
    // bcolz-style incremental cbytes: a rewritten full chunk replaces its old contribution when known.
    const old = this.knownCbytes.get(i);
    if (i < Math.floor(this.committed / this.chunklen) && old !== undefined) this.fullCbytes += chunk.length - old;
    this.knownCbytes.set(i, chunk.length);
    this.pendingRows.set(i, rows);
  }

  /** Rows chunk `i` is known to hold: written since the last commit, or committed. */
  private rowsIn(i: number): number {
    return this.pendingRows.get(i) ?? Math.min(this.chunklen, Math.max(0, this.committed - i * this.chunklen));
  }

  /**
   * Throws ERR_BAD_ARGUMENT unless `length` rows are all stored: every chunk below it must have
   * been written (or committed) with enough rows.
   *
   * @example
   * w.checkCommit(2500);
   */
  checkCommit(length: number): void {
    if (!Number.isSafeInteger(length) || length < 0) throw bad(`length must be a non-negative integer, got ${length}`);
    const L = this.chunklen;
    const first = Math.floor(Math.min(length, this.committed) / L);
    for (let i = first; i * L < length; i++) {
      const need = Math.min(L, length - i * L);
      if (this.rowsIn(i) < need) {
        throw bad(
          `cannot commit ${length} rows of ${describe(this.store, this.prefix)}: chunk ${i} holds ${this.rowsIn(i)} of its ${need} rows`,
        );
      }
    }
  }

  /**
   * Sets meta/sizes for `length` rows without committing the store: step 2 of the protocol, for
   * callers committing several carrays together (see `commitCArrays`). Call only after the
   * chunks were made durable with `store.commit()`.
   *
   * @example
   * await store.commit(); await w.writeSizes(n); await store.commit();
   */
  async writeSizes(length: number): Promise<void> {
    this.checkCommit(length);
    const L = this.chunklen;
    const oldFull = Math.floor(this.committed / L);
    const newFull = Math.floor(length / L);
    let sum = this.fullCbytes;
    for (let i = oldFull; i < newFull; i++) sum += this.knownCbytes.get(i) ?? 0;
    for (let i = newFull; i < oldFull; i++) {
      const size = this.knownCbytes.get(i) ?? ((await this.store.size(chunkKey(this.prefix, i))) ?? 16) - 16;
      sum -= size;
    }
    sum = Math.max(0, sum);
    const shape = [length, ...this.atomShape];
    // bcolz's convention: full chunks' Blosc cbytes + one uncompressed chunksize for the leftover.
    const sizes = { shape, nbytes: length * this.atomsize, cbytes: sum + this.chunksize };
    await this.store.set(`${this.prefix}meta/sizes`, encodeSizes(sizes));
    this.fullCbytes = sum;
    this.committed = length;
    this.pendingRows.clear();
  }

  /**
   * Commits `length` rows: store.commit() (chunks durable), meta/sizes, store.commit(). A
   * shorter length truncates (the chunk files stay and are ignored); rows beyond what was
   * written are ERR_BAD_ARGUMENT.
   *
   * @example
   * await w.commit(10007);
   */
  async commit(length: number): Promise<void> {
    await commitCArrays(this.store, [[this, length]]);
  }
}

/**
 * Commits several carrays of one store together: every length is checked, then one
 * store.commit() makes all their chunks durable, their meta/sizes are written in the order
 * given, and a final store.commit() makes them durable. Put extension carrays (validity,
 * values) before the carray that depends on them, so a crash can only leave them longer.
 *
 * @example
 * await commitCArrays(store, [[validity, n], [main, n]]);
 */
export async function commitCArrays(
  store: Store,
  entries: readonly (readonly [CArrayWriter, number])[],
): Promise<void> {
  for (const [w, length] of entries) {
    if (w.store !== store) throw bad("commitCArrays: every writer must belong to the given store");
    w.checkCommit(length);
  }
  await store.commit();
  for (const [w, length] of entries) await w.writeSizes(length);
  await store.commit();
}

function bad(message: string): ColzError {
  return new ColzError("ERR_BAD_ARGUMENT", message);
}
