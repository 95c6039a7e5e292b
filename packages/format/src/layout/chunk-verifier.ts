import type { ChunkInfo } from "@colz/blosc-wasm";
import type { Dtype } from "../dtype/dtype.js";
import { ColzError } from "../errors.js";
import type { Store } from "../store/types.js";
import {
  type ChunkStats,
  checksumProblem,
  chunkStatsKey,
  parseChunkStats,
  sidecarMatches,
  verifyChunkStats,
} from "./extensions/chunk-stats.js";
import { META_LIMITS } from "./meta-io.js";

// Checks chunks against their `data/__N.colz` sidecars (checksum of the Blosc chunk) for one
// reader snapshot. Sidecars are read once per snapshot, not once per chunk read: a second scan
// of a column then opens one file per chunk instead of two. Only full chunks are cached: colz
// never rewrites them (only a truncation does, and it commits a new snapshot), whereas the
// partial last chunk and its sidecar are replaced by every append that reaches them.
//
// A cached sidecar could still be older than its chunk when another process truncated and
// re-appended behind this snapshot. So a checksum mismatch against a cached sidecar is never
// reported as damage on its own: the sidecar is read again and the chunk checked against that.

/** A sidecar's statistics, or null when there is none. Only present sidecars are cached. */
type Entry = ChunkStats | null;

/**
 * The checksum check of one carray's chunks, with its sidecars cached.
 *
 * @example
 * const v = new ChunkVerifier(store, "price/", dtype, reader.nfull);
 * v.verifySync(3, chunk, info, key); // throws ERR_CORRUPT_CHUNK on a mismatch
 */
export class ChunkVerifier {
  private readonly cache = new Map<number, ChunkStats>();
  private scratch: Uint8Array | undefined;

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    private readonly dtype: Dtype,
    /** Chunks [0, cacheBelow) are full and immutable in this snapshot. */
    private readonly cacheBelow: number,
  ) {}

  /** True when `verifySync` can read sidecars (the store reads synchronously). */
  get canVerifySync(): boolean {
    return this.store.getRangeIntoSync !== undefined;
  }

  /**
   * Checks chunk `i` (its Blosc bytes `chunk`, header `info`, file `key`) synchronously.
   *
   * @example
   * verifier.verifySync(0, chunk, chunkInfo(chunk), "data/__0.blp");
   */
  verifySync(i: number, chunk: Uint8Array, info: ChunkInfo, key: string): void {
    const cached = this.cache.get(i);
    if (cached !== undefined) {
      if (this.matches(cached, chunk, info)) return;
      this.cache.delete(i); // maybe stale: decide on a fresh copy below
    }
    check(this.load(i, this.readSync(i)), chunk, info, key);
  }

  /**
   * The sidecar of chunk `i` as `verify` needs it: the cached one, or a read started now (so it
   * runs alongside the chunk read). Pass the result to `verify`.
   *
   * @example
   * const side = verifier.prefetch(0); const chunk = await read(); await verifier.verify(0, side, chunk, info, key);
   */
  prefetch(i: number): Entry | Promise<Entry> {
    const cached = this.cache.get(i);
    if (cached !== undefined) return cached;
    const read = this.readAsync(i).then((bytes) => this.load(i, bytes));
    read.catch(() => undefined); // awaited by verify; silence it if the chunk read fails first
    return read;
  }

  /**
   * Checks chunk `i` against the sidecar from `prefetch`; a mismatch against a cached one is
   * checked again against a fresh read.
   *
   * @example
   * await verifier.verify(0, verifier.prefetch(0), chunk, info, "data/__0.blp");
   */
  async verify(
    i: number,
    side: Entry | Promise<Entry>,
    chunk: Uint8Array,
    info: ChunkInfo,
    key: string,
  ): Promise<void> {
    const fromCache = !(side instanceof Promise);
    const stats = await side;
    if (fromCache && !this.matches(stats, chunk, info)) {
      this.cache.delete(i);
      check(this.load(i, await this.readAsync(i)), chunk, info, key);
      return;
    }
    check(stats, chunk, info, key);
  }

  /** Whether a cached entry passes as is; false sends the check to a fresh sidecar. */
  private matches(stats: Entry, chunk: Uint8Array, info: ChunkInfo): boolean {
    return (
      stats !== null && sidecarMatches(stats, info.cbytes, info.nbytes) && checksumProblem(stats, chunk) === undefined
    );
  }

  private load(i: number, bytes: Uint8Array | undefined): Entry {
    if (bytes === undefined) return null; // not cached: a sidecar may yet appear (and must be checked)
    const stats = parseChunkStats(bytes, chunkStatsKey(this.prefix, i), this.dtype);
    if (i < this.cacheBelow) this.cache.set(i, stats);
    return stats;
  }

  private readSync(i: number): Uint8Array | undefined {
    const key = chunkStatsKey(this.prefix, i);
    // One more byte than the limit, like getMetaFile: a huge file is refused, never read whole.
    this.scratch ??= new Uint8Array(META_LIMITS.small + 1);
    const n = this.store.getRangeIntoSync!(key, 0, this.scratch);
    return n === undefined ? undefined : limit(this.scratch.subarray(0, n), key);
  }

  private async readAsync(i: number): Promise<Uint8Array | undefined> {
    const key = chunkStatsKey(this.prefix, i);
    const bytes = await this.store.getRange(key, 0, META_LIMITS.small + 1);
    return bytes === undefined ? undefined : limit(bytes, key);
  }
}

/** The check proper. A sidecar for other cbytes/nbytes belongs to an older chunk: no check. */
function check(stats: Entry, chunk: Uint8Array, info: ChunkInfo, key: string): void {
  if (stats !== null && sidecarMatches(stats, info.cbytes, info.nbytes)) verifyChunkStats(stats, chunk, key);
}

/** getMetaFile's size rule for sidecars (tiny; a huge one is damage), with its error. */
function limit(bytes: Uint8Array, key: string): Uint8Array {
  if (bytes.length > META_LIMITS.small) {
    throw new ColzError(
      "ERR_CORRUPT_META",
      `${key}: larger than ${META_LIMITS.small} bytes, too large for this metadata file`,
    );
  }
  return bytes;
}
