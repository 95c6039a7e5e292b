import { BloscError, decompress } from "@colz/blosc-wasm";
import {
  CArrayReader,
  type ChunkStats,
  ColzError,
  checkChunkFileHeader,
  chunkInfoOf,
  chunkKey,
  chunkStatsKey,
  getMetaFile,
  grownBuffer,
  META_LIMITS,
  parseChunkStats,
  type ReadRowsOptions,
  readChunkFile,
  type Store,
  sidecarMatches,
} from "@colz/format";
import { badArgument, where } from "../errors.js";

// One physical carray (a column's values, its validity, or the bytes of a utf8 column) as the
// table layer reads it: committed rows through CArrayReader (checked, checksummed), plus, for a
// writer, the rows appended since the last commit. Those live in full chunk files the appender
// already wrote (not yet committed, so CArrayReader does not see them; decoded here directly)
// and in the partial last chunk, which only the appender's memory holds and which we mirror.

export interface PhysicalArrayOptions {
  /** True when an appender writes to this carray: uncommitted rows are readable. */
  writable: boolean;
  verifyChecksums?: boolean;
}

/**
 * Reads rows of one carray, committed or (for a writer) not yet committed, decoding only the
 * chunks a request touches and keeping the last decoded chunk for small reads.
 *
 * @example
 * const a = await PhysicalArray.open(store, "price/", { writable: false });
 * const bytes = await a.readRows(0, 10);
 */
export class PhysicalArray {
  readonly chunklen: number;
  readonly atomsize: number;
  readonly chunksize: number;
  private len: number;
  private committedLen: number;
  /**
   * Writers only: the rows [tailStart, len) of the partial last chunk. Grown as rows arrive (at
   * most one chunk): a table written in one go only ever mirrors its leftover rows, and a
   * chunk-sized zeroed buffer per column would cost more than the copy it holds.
   */
  private tail: Uint8Array = new Uint8Array(0);
  private tailStart = 0;
  private cache: { index: number; bytes: Uint8Array } | undefined;
  private readonly statsCache = new Map<number, ChunkStats | null>();

  private constructor(
    private reader: CArrayReader,
    private readonly options: PhysicalArrayOptions,
  ) {
    this.chunklen = reader.chunklen;
    this.atomsize = reader.atomsize;
    this.chunksize = reader.chunksize;
    this.len = reader.length;
    this.committedLen = reader.length;
  }

  /**
   * Opens the carray at `prefix`; for a writer, loads the committed partial chunk into the mirror.
   *
   * @example
   * const a = await PhysicalArray.open(store, "", { writable: true });
   */
  static async open(store: Store, prefix: string, options: PhysicalArrayOptions): Promise<PhysicalArray> {
    const reader = await CArrayReader.open(store, prefix, { verifyChecksums: options.verifyChecksums });
    const a = new PhysicalArray(reader, options);
    await a.loadTail();
    return a;
  }

  /** The committed view (metadata: dtype, cparams, attrs, sizes). */
  get meta(): CArrayReader {
    return this.reader;
  }
  /** Rows readable now: committed plus appended. */
  get length(): number {
    return this.len;
  }
  /** Rows of the last commit. */
  get committed(): number {
    return this.committedLen;
  }
  get store(): Store {
    return this.reader.store;
  }
  get prefix(): string {
    return this.reader.prefix;
  }

  /** Read-only views only: use just the first `n` rows (table length, validity longer than values). */
  limit(n: number): void {
    if (this.options.writable) throw new Error("PhysicalArray.limit on a writer");
    this.len = Math.min(this.len, n);
  }

  private async loadTail(): Promise<void> {
    if (!this.options.writable) return;
    this.tailStart = Math.floor(this.len / this.chunklen) * this.chunklen;
    this.tail = grownBuffer(this.tail, (this.len - this.tailStart) * this.atomsize, 0, this.chunksize);
    if (this.len > this.tailStart) await this.reader.readRows(this.tailStart, this.len, this.tail);
  }

  /**
   * Records rows the appender just took (stored byte order), keeping the mirror of the partial chunk.
   *
   * @example
   * await appender.append(bytes); physical.noteAppend(bytes);
   */
  noteAppend(bytes: Uint8Array): void {
    const as = this.atomsize;
    const rows = bytes.length / as;
    const newLen = this.len + rows;
    const newTailStart = Math.floor(newLen / this.chunklen) * this.chunklen;
    if (newTailStart === this.tailStart) {
      const at = (this.len - this.tailStart) * as;
      this.tail = grownBuffer(this.tail, at + bytes.length, at, this.chunksize);
      this.tail.set(bytes, at);
    } else {
      // Every row of the new partial chunk comes from `bytes`: the old partial chunk filled up.
      const rest = bytes.subarray((newTailStart - this.len) * as);
      this.tail = grownBuffer(this.tail, rest.length, 0, this.chunksize);
      this.tail.set(rest, 0);
      this.tailStart = newTailStart;
    }
    this.len = newLen;
  }

  /**
   * After a commit of every appended row: re-reads the committed metadata.
   *
   * @example
   * await commitCArrays(store, entries); await physical.noteCommitted();
   */
  async noteCommitted(): Promise<void> {
    this.reader = await CArrayReader.open(this.store, this.prefix, { verifyChecksums: this.options.verifyChecksums });
    if (this.reader.length !== this.len) {
      throw new ColzError(
        "ERR_CORRUPT_META",
        `${where(this.store, this.prefix)}: committed ${this.reader.length} rows, expected ${this.len}`,
      );
    }
    this.committedLen = this.len;
  }

  /**
   * After a truncation commit: starts over from the committed state.
   *
   * @example
   * await commitCArrays(store, [[writer, 10]]); await physical.reset();
   */
  async reset(): Promise<void> {
    this.reader = await CArrayReader.open(this.store, this.prefix, { verifyChecksums: this.options.verifyChecksums });
    this.len = this.reader.length;
    this.committedLen = this.len;
    this.cache = undefined;
    this.statsCache.clear();
    await this.loadTail();
  }

  /** Forgets cached chunks and statistics (another writer may have changed them). */
  dropCaches(): void {
    this.cache = undefined;
    this.statsCache.clear();
  }

  /** Rows held by chunk `i` at the current length. */
  chunkRows(i: number): number {
    return Math.max(0, Math.min(this.chunklen, this.len - i * this.chunklen));
  }

  /**
   * The bytes of the rows chunk `i` holds (at least chunkRows(i) rows). The result may be shared
   * with the cache or the mirror: copy before modifying or keeping it across appends.
   *
   * @example
   * const rows = await physical.chunkBytes(0);
   */
  async chunkBytes(i: number): Promise<Uint8Array> {
    const L = this.chunklen;
    if (this.options.writable && i === Math.floor(this.len / L)) {
      return this.tail.subarray(0, (this.len - this.tailStart) * this.atomsize);
    }
    if (this.cache?.index === i) return this.cache.bytes;
    const committedChunk = !this.options.writable || (i + 1) * L <= this.committedLen;
    const bytes = committedChunk ? await this.reader.readChunk(i) : await this.decodeWritten(i);
    this.cache = { index: i, bytes };
    return bytes;
  }

  /** A full chunk this writer wrote since the last commit (the reader does not know it yet). */
  private async decodeWritten(i: number): Promise<Uint8Array> {
    const key = chunkKey(this.prefix, i);
    const chunk = await readChunkFile(this.store, key, this.chunksize + 16);
    if (chunk === undefined)
      throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key} is missing (written, not committed)`);
    const info = chunkInfoOf(chunk, key);
    if (info.nbytes !== this.chunksize) {
      throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key}: ${info.nbytes} bytes, expected ${this.chunksize}`);
    }
    try {
      return decompress(chunk);
    } catch (e) {
      if (e instanceof BloscError)
        throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  /**
   * Bytes of rows [start, end) in stored byte order, into `out` when given. Whole committed
   * chunks decode straight into the output, with `threads` (see ReadRowsOptions); partial
   * chunks at the ends and a writer's uncommitted rows are read on this thread.
   *
   * @example
   * const bytes = await physical.readRows(100, 200);
   */
  async readRows(start: number, end: number, out?: Uint8Array, options: ReadRowsOptions = {}): Promise<Uint8Array> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > this.len) {
      throw badArgument(`${where(this.store, this.prefix)}: rows ${start}..${end} are outside 0..${this.len}`);
    }
    const as = this.atomsize;
    const dest = out ?? allocate((end - start) * as, `${where(this.store, this.prefix)} rows ${start}..${end}`);
    const L = this.chunklen;
    let row = start;
    while (row < end) {
      const i = Math.floor(row / L);
      const first = row - i * L;
      const stop = Math.min(end, (i + 1) * L);
      const at = (row - start) * as;
      if (first === 0 && stop === (i + 1) * L && i < this.reader.nfull && this.cache?.index !== i) {
        // A run of whole committed chunks goes to the reader in one call: on stores that read
        // synchronously it scans them in one loop, without an await per chunk.
        let j = i + 1;
        while (j < this.reader.nfull && (j + 1) * L <= end && this.cache?.index !== j) j++;
        await this.reader.readRows(i * L, j * L, dest.subarray(at, at + (j - i) * L * as), options);
        row = j * L;
        continue;
      }
      const bytes = await this.chunkBytes(i);
      dest.set(bytes.subarray(first * as, (stop - i * L) * as), at);
      row = stop;
    }
    return dest.subarray(0, (end - start) * as);
  }

  /**
   * The sidecar statistics of chunk `i` when its file holds every row of the chunk and carries
   * a matching sidecar; undefined otherwise (no statistics, bcolz data, the writer's partial chunk).
   * They bound every row stored in the file (`rows` may exceed chunkRows(i)).
   *
   * @example
   * const s = await physical.chunkStats(0); // { min, max, nulls, nans, rows, ... }
   */
  async chunkStats(i: number): Promise<ChunkStats | undefined> {
    if (this.reader.colz?.chunkStats !== true) return undefined;
    const L = this.chunklen;
    const inFile = this.options.writable ? i < Math.floor(this.len / L) : i < this.reader.nchunks;
    if (!inFile || i < 0) return undefined;
    const cached = this.statsCache.get(i);
    if (cached !== undefined) return cached ?? undefined;
    const statsKey = chunkStatsKey(this.prefix, i);
    const fileKey = chunkKey(this.prefix, i);
    const [side, head] = await Promise.all([
      getMetaFile(this.store, statsKey, META_LIMITS.small),
      this.store.getRange(fileKey, 0, 32),
    ]);
    let stats: ChunkStats | null = null;
    if (side !== undefined && head !== undefined) {
      const parsed = parseChunkStats(side, statsKey, this.reader.dtype);
      const cbytes = checkChunkFileHeader(head, fileKey);
      const nbytes = new DataView(head.buffer, head.byteOffset, 32).getUint32(20, true);
      if (sidecarMatches(parsed, cbytes, nbytes)) stats = parsed;
    }
    // Full chunks never change until a truncation (which resets the cache); a partial one may grow.
    if ((i + 1) * L <= this.len) this.statsCache.set(i, stats);
    return stats ?? undefined;
  }
}

function allocate(bytes: number, what: string): Uint8Array {
  try {
    return new Uint8Array(bytes);
  } catch (e) {
    throw new ColzError("ERR_TOO_LARGE", `${what}: cannot allocate ${bytes} bytes; read fewer rows at a time`, {
      cause: e,
    });
  }
}
