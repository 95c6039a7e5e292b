import { BloscError, decompress, ready } from "@colz/blosc-wasm";
import { type Dtype, parseDtype } from "../dtype/dtype.js";
import { ColzError } from "../errors.js";
import type { Store } from "../store/types.js";
import {
  type CArraySizes,
  type CArrayStorage,
  type CParams,
  MAX_CHUNK_BYTES,
  parseAttrs,
  parseSizes,
  parseStorage,
} from "./carray-meta.js";
import { checkChunkFileHeader, chunkFileReadSize, chunkInfoOf, chunkKey, readChunkFile } from "./chunk-file.js";
import {
  type ChunkStats,
  chunkStatsKey,
  parseChunkStats,
  sidecarMatches,
  verifyChunkStats,
} from "./extensions/chunk-stats.js";
import { type ColzMeta, readColzMeta } from "./extensions/colz-meta.js";
import type { PyJsonValue } from "./json.js";
import { getMetaFile, META_LIMITS } from "./meta-io.js";
import { checkPrefix } from "./prefix.js";

/** `readAll` refuses results larger than this; read chunk by chunk instead. */
export const MAX_READ_ALL_BYTES = 2 ** 32 - 1;

// Chunks in flight during a range read: the next files are read (by the I/O threads) while the
// current chunk decodes, and each decodes into its own part of the output.
const READ_AHEAD = 3;

/** Runs `tasks` with at most `width` at a time; the first failure rejects (after the others settle). */
async function runWindowed(tasks: readonly (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && failure === undefined) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

export interface CArrayReaderOptions {
  /**
   * Check each chunk against its `data/__N.colz` sidecar (CRC-32) when `meta/colz` says the
   * carray keeps sidecars and one exists (default true). Costs one small extra read per chunk.
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
  private readonly verify: boolean;

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
    this.verify = (options.verifyChecksums ?? true) && colz?.chunkStats === true;
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
    const rows = this.chunkRows(i);
    const need = rows * this.atomsize;
    if (out !== undefined && out.length < need) {
      throw new ColzError("ERR_BAD_ARGUMENT", `readChunk(${i}): out holds ${out.length} bytes, ${need} needed`);
    }
    const key = chunkKey(this.prefix, i);
    const statsKey = chunkStatsKey(this.prefix, i);
    // The sidecar is fetched alongside the chunk: one round trip, not two, on remote stores.
    const sidecarRead = this.verify ? getMetaFile(this.store, statsKey, META_LIMITS.small) : undefined;
    sidecarRead?.catch(() => undefined); // awaited below; silence it if the chunk read fails first
    // Chunk files are read into pooled buffers: allocating fresh memory for every chunk costs
    // more than decoding it. A pool (not one buffer) keeps concurrent readChunk calls safe.
    const scratch =
      this.store.getRangeInto === undefined
        ? undefined
        : (this.scratchPool.pop() ?? new Uint8Array(chunkFileReadSize(this.chunksize + 16)));
    try {
      return await this.decodeChunk(i, key, statsKey, sidecarRead, need, rows, scratch, out);
    } finally {
      if (scratch !== undefined && this.scratchPool.length < 4) this.scratchPool.push(scratch);
    }
  }

  private async decodeChunk(
    i: number,
    key: string,
    statsKey: string,
    sidecarRead: Promise<Uint8Array | undefined> | undefined,
    need: number,
    rows: number,
    scratch: Uint8Array | undefined,
    out: Uint8Array | undefined,
  ): Promise<Uint8Array> {
    const chunk = await readChunkFile(this.store, key, this.chunksize + 16, scratch);
    if (chunk === undefined) {
      throw new ColzError(
        "ERR_CORRUPT_CHUNK",
        `chunk file ${key} is missing but ${describe(this.store, this.prefix)} has ${this.length} rows`,
      );
    }
    const info = chunkInfoOf(chunk, key);
    const full = i < this.nfull;
    if (full ? info.nbytes !== this.chunksize : info.nbytes < need || info.nbytes > this.chunksize) {
      const expected = full ? `${this.chunksize}` : `${need}..${this.chunksize}`;
      throw new ColzError(
        "ERR_CORRUPT_CHUNK",
        `chunk file ${key}: Blosc header says ${info.nbytes} bytes, the metadata expects ${expected} (${rows} rows of ${this.atomsize} bytes)`,
      );
    }
    if (sidecarRead !== undefined) {
      const sidecar = await sidecarRead;
      if (sidecar !== undefined) {
        const stats = parseChunkStats(sidecar, statsKey, this.dtype);
        if (sidecarMatches(stats, info.cbytes, info.nbytes)) verifyChunkStats(stats, chunk, key);
      }
    }
    try {
      if (info.nbytes === need) return decompress(chunk, out?.subarray(0, need));
      // Extra rows in a leftover chunk: decode whole (bounded by chunksize, checked above), keep the valid prefix.
      const whole = decompress(chunk);
      if (out === undefined) return whole.subarray(0, need);
      out.set(whole.subarray(0, need));
      return out.subarray(0, need);
    } catch (e) {
      if (e instanceof BloscError)
        throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  /**
   * Bytes of rows [start, end), decoding only the chunks they touch, into `out` when given.
   *
   * @example
   * const bytes = await r.readRows(100, 200); // 100 × atomsize bytes
   */
  async readRows(start: number, end: number, out?: Uint8Array): Promise<Uint8Array> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > this.length) {
      throw new ColzError("ERR_BAD_ARGUMENT", `readRows(${start}, ${end}) is outside 0..${this.length}`);
    }
    const total = (end - start) * this.atomsize;
    if (out !== undefined && out.length < total) {
      throw new ColzError("ERR_BAD_ARGUMENT", `readRows: out holds ${out.length} bytes, ${total} needed`);
    }
    const dest = out ?? allocate(total, `${describe(this.store, this.prefix)} rows ${start}..${end}`);
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

function allocate(bytes: number, what: string): Uint8Array {
  if (bytes > MAX_READ_ALL_BYTES) {
    throw new ColzError(
      "ERR_TOO_LARGE",
      `${what}: ${bytes} bytes is more than one read may return; read chunk by chunk`,
    );
  }
  try {
    return new Uint8Array(bytes);
  } catch (e) {
    throw new ColzError("ERR_TOO_LARGE", `${what}: cannot allocate ${bytes} bytes`, { cause: e });
  }
}

/** Cross-checks shape, dtype and chunklen; every product must stay an exact JS integer. */
function checkGeometry(
  sizes: CArraySizes,
  storage: CArrayStorage,
  dtype: Dtype,
  sizesKey: string,
  storageKey: string,
): void {
  let atomsize = dtype.itemsize;
  for (const d of sizes.shape.slice(1)) {
    atomsize *= d;
    if (!Number.isSafeInteger(atomsize) || atomsize > MAX_CHUNK_BYTES) {
      throw new ColzError(
        "ERR_CORRUPT_META",
        `${sizesKey}: atom shape ${JSON.stringify(sizes.shape.slice(1))} is too large`,
      );
    }
  }
  if (atomsize === 0) throw new ColzError("ERR_CORRUPT_META", `${sizesKey}: rows of zero bytes are not supported`);
  const total = sizes.shape[0]! * atomsize;
  if (!Number.isSafeInteger(total)) {
    throw new ColzError(
      "ERR_CORRUPT_META",
      `${sizesKey}: ${sizes.shape[0]} rows of ${atomsize} bytes exceed 2^53 bytes`,
    );
  }
  const chunksize = storage.chunklen * atomsize;
  if (chunksize > MAX_CHUNK_BYTES) {
    throw new ColzError(
      "ERR_CORRUPT_META",
      `${storageKey}: chunklen ${storage.chunklen} × ${atomsize} bytes exceeds the Blosc1 chunk limit of ${MAX_CHUNK_BYTES} bytes`,
    );
  }
}
