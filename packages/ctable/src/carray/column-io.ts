import {
  CArrayAppender,
  CArrayWriter,
  type ColumnTypedArray,
  ColzError,
  checkThreads,
  createNullableCArray,
  createVarlenCArray,
  fromTypedArray,
  readColzMeta,
  type Store,
  toTypedArray,
  validityPrefix,
  valuesPrefix,
} from "@colz/format";
import { badArgument, where } from "../errors.js";
import type { ColumnValues, CreateOptions } from "../types.js";
import { type ColumnType, resolveSpec } from "../values/column-type.js";
import { formatCParams } from "./cparams.js";
import { PhysicalArray } from "./physical-array.js";

// The storage of one logical column: its main carray (values, or int64 end offsets for utf8 and
// binary columns), the validity carray of a nullable column and the byte carray of a
// variable-length one. Writes go through the format's appenders, whose commit entries are
// ordered extension carrays first (values, validity, then main; FORMAT.md §8.2), so a crash can
// only leave the extensions longer. Shrinking commits the main carray first, for the same reason.

type CommitEntry = [CArrayWriter, number];

interface Writers {
  main: CArrayWriter;
  validity: CArrayWriter | undefined;
  bytes: CArrayWriter | undefined;
  mainAppender: CArrayAppender;
  bytesAppender: CArrayAppender | undefined;
  /** utf8/binary: bytes referenced by the offsets so far. */
  end: number;
}

export interface ColumnIOOptions {
  writable: boolean;
  verifyChecksums?: boolean;
}

/** What creating a column needs besides its type. */
export type ColumnCreateOptions = Pick<
  CreateOptions,
  "chunklen" | "expectedlen" | "cparams" | "chunkStats" | "valuesChunklen"
> & {
  attrs?: { readonly [key: string]: unknown };
};

/**
 * The physical side of one column: create, open, append, commit, truncate and read rows.
 *
 * @example
 * await ColumnIO.create(store, "price/", type, {});
 * const io = await ColumnIO.open(store, "price/", { writable: true });
 */
export class ColumnIO {
  private constructor(
    readonly store: Store,
    readonly prefix: string,
    readonly type: ColumnType,
    readonly main: PhysicalArray,
    readonly validity: PhysicalArray | undefined,
    readonly bytes: PhysicalArray | undefined,
    private w: Writers | undefined,
  ) {}

  /**
   * Creates the empty carrays of a column (values first for utf8/binary, validity before the
   * main carray), removing extension leftovers of an earlier creation that crashed.
   *
   * @example
   * await ColumnIO.create(store, "name/", resolveSpec({ dtype: "utf8" }, "name"), { chunklen: 1000 });
   */
  static async create(store: Store, prefix: string, type: ColumnType, options: ColumnCreateOptions): Promise<void> {
    if (!(await store.has(`${prefix}meta/sizes`))) {
      for (const key of await store.list(`${prefix}colz/`)) await store.delete(key);
    }
    const cparams = formatCParams(options.cparams);
    const common = {
      chunklen: options.chunklen,
      expectedlen: options.expectedlen,
      cparams,
      chunkStats: options.chunkStats,
      attrs: options.attrs,
    };
    if (type.kind === "utf8" || type.kind === "binary") {
      await createVarlenCArray(store, prefix, {
        ...common,
        logicalType: type.kind,
        valuesChunklen: options.valuesChunklen,
        nullable: type.nullable,
      });
    } else if (type.nullable) {
      await createNullableCArray(store, prefix, { ...common, dtype: type.dtype, atomShape: type.atomShape });
    } else {
      await CArrayWriter.create(store, prefix, { ...common, dtype: type.dtype, atomShape: type.atomShape });
    }
  }

  /**
   * Opens the column at `prefix`. A writer cuts extension carrays left longer by an interrupted
   * commit back to the main carray (validity rows, bytes beyond the last end offset).
   *
   * @example
   * const io = await ColumnIO.open(store, "", { writable: false });
   */
  static async open(store: Store, prefix: string, options: ColumnIOOptions): Promise<ColumnIO> {
    const meta = await readColzMeta(store, prefix);
    const varlen = meta?.logicalType === "utf8" || meta?.logicalType === "binary";
    const nullable = meta?.nullable === true;
    let w: Writers | undefined;
    if (options.writable) w = await openWriters(store, prefix, varlen, nullable);
    const physical = { writable: options.writable, verifyChecksums: options.verifyChecksums };
    const main = await PhysicalArray.open(store, prefix, physical);
    const validity = nullable ? await PhysicalArray.open(store, validityPrefix(prefix), physical) : undefined;
    const bytes = varlen ? await PhysicalArray.open(store, valuesPrefix(prefix), physical) : undefined;
    const m = main.meta;
    const name = where(store, prefix);
    if (validity !== undefined) {
      const v = validity.meta;
      if (v.dtype.kind !== "b" || v.atomShape.length > 0 || v.chunklen !== m.chunklen || v.length < m.length) {
        throw new ColzError(
          "ERR_CORRUPT_META",
          `${validityPrefix(prefix)}: a validity carray must be 1-D bool with chunklen ${m.chunklen} and at least ${m.length} rows (${name})`,
        );
      }
      if (!options.writable) validity.limit(m.length);
    }
    let type: ColumnType;
    if (varlen) {
      if (m.dtype.str !== "int64" || m.atomShape.length > 0 || bytes!.meta.dtype.str !== "uint8") {
        throw new ColzError(
          "ERR_CORRUPT_META",
          `${name}: a ${meta!.logicalType} column needs int64 offsets and uint8 values`,
        );
      }
      type = resolveSpec({ kind: meta!.logicalType as "utf8" | "binary", nullable }, name, false);
    } else {
      type = resolveSpec({ dtype: m.dtype.str, nullable, atomShape: m.atomShape }, name, false);
      type = { ...type, dtype: m.dtype }; // keep the stored byte order (">i4" stays big-endian)
    }
    return new ColumnIO(store, prefix, type, main, validity, bytes, w);
  }

  /** Rows, committed or appended. */
  get length(): number {
    return this.main.length;
  }
  get writable(): boolean {
    return this.w !== undefined;
  }

  /** Read-only views: use only the first `n` rows (the table length). */
  limit(n: number): void {
    this.main.limit(n);
    this.validity?.limit(n);
  }

  /**
   * Appends converted values (see toColumnValues); full chunks are written as they fill.
   *
   * @example
   * await io.append(toColumnValues([1, 2], io.type, "x"));
   */
  async append(values: ColumnValues): Promise<void> {
    const w = this.w!;
    const n = values.length;
    if (n === 0) return;
    const valid = this.type.nullable ? (values.validity ?? new Uint8Array(n).fill(1)) : undefined;
    if (values.kind === "fixed") {
      const bytes = fromTypedArray(values.data, this.type.dtype);
      await w.mainAppender.append(bytes, valid);
      this.main.noteAppend(bytes);
    } else {
      const o = values.offsets;
      const first = Number(o[0]);
      const last = Number(o[n]);
      const data = values.data.subarray(first, last);
      const ends = new BigInt64Array(n);
      for (let k = 0; k < n; k++) ends[k] = BigInt(w.end + Number(o[k + 1]) - first);
      const endBytes = new Uint8Array(ends.buffer);
      if (data.length > 0) {
        await w.bytesAppender!.append(data);
        this.bytes!.noteAppend(data);
      }
      await w.mainAppender.append(endBytes, valid);
      this.main.noteAppend(endBytes);
      w.end += last - first;
    }
    if (valid !== undefined) this.validity!.noteAppend(valid);
  }

  /** Writes pending partial chunks without committing (step 1 of the commit protocol). */
  async flushChunks(): Promise<void> {
    await this.w?.bytesAppender?.flushChunks();
    await this.w?.mainAppender.flushChunks();
  }

  /** Commit entries in commit order: values, validity, main. */
  commitEntries(): CommitEntry[] {
    const w = this.w;
    if (w === undefined) return [];
    return [...(w.bytesAppender?.commitEntries() ?? []), ...w.mainAppender.commitEntries()];
  }

  /** True when rows were appended since the last commit. */
  get dirty(): boolean {
    return this.main.length !== this.main.committed;
  }

  /** After the entries were committed: the readers follow the new committed state. */
  async afterCommit(): Promise<void> {
    // Independent small reads: issue them together rather than one after another.
    await Promise.all([this.main.noteCommitted(), this.validity?.noteCommitted(), this.bytes?.noteCommitted()]);
  }

  /**
   * Commit entries that shrink the column to `n` rows (main first, so a crash never leaves the
   * main carray pointing past its extensions). Call only when nothing is pending.
   *
   * @example
   * await commitCArrays(store, await io.truncateEntries(10)); await io.afterTruncate();
   */
  async truncateEntries(n: number): Promise<CommitEntry[]> {
    const w = this.w!;
    const entries: CommitEntry[] = [[w.main, n]];
    if (w.validity !== undefined) entries.push([w.validity, n]);
    if (w.bytes !== undefined) entries.push([w.bytes, n === 0 ? 0 : await this.endOf(n - 1)]);
    return entries;
  }

  /** After a truncation commit: fresh appenders and readers at the new length. */
  async afterTruncate(): Promise<void> {
    const w = this.w!;
    w.mainAppender = await CArrayAppender.open(w.main, w.validity);
    if (w.bytes !== undefined) {
      w.bytesAppender = await CArrayAppender.open(w.bytes);
      w.end = w.bytes.length;
    }
    await this.main.reset();
    await this.validity?.reset();
    await this.bytes?.reset();
  }

  private async endOf(row: number): Promise<number> {
    const b = await this.main.readRows(row, row + 1);
    return Number(new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true));
  }

  /**
   * Rows [start, end) as ColumnValues (typed arrays for fixed columns, offsets + bytes for
   * utf8/binary, a validity for nullable columns).
   *
   * @example
   * const v = await io.readValues(0, 100);
   */
  async readValues(start: number, end: number, options: ReadIntoOptions = {}): Promise<ColumnValues> {
    checkThreads(options.threads, "read option `threads`");
    const validity = await this.validity?.readRows(start, end);
    const extra = validity === undefined ? {} : { validity };
    if (this.type.kind === "fixed") {
      const n = end - start;
      const size = n * this.main.atomsize;
      const threads = options.threads ?? 1;
      // Worker threads can only write into shared memory: without `out`, a threaded read on a
      // store that can use workers returns an array backed by a SharedArrayBuffer.
      const shared = threads > 1 && this.store.scanInWorkers !== undefined;
      const bytes = await this.main.readRows(
        start,
        end,
        outBytes(options.out, size, this.type.dtype.itemsize) ?? allocate(size, shared),
        { threads },
      );
      const data = toTypedArray(bytes, this.type.dtype) as ColumnTypedArray;
      return { kind: "fixed", dtype: this.type.dtype, length: n, data, ...extra };
    }
    return { ...(await this.readVarlen(start, end)), ...extra };
  }

  private async readVarlen(start: number, end: number): Promise<ColumnValues> {
    const from = start > 0 ? start - 1 : 0;
    const raw = await this.main.readRows(from, end);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const n = end - start;
    const limit = this.bytes!.length;
    const base = start > 0 ? Number(view.getBigInt64(0, true)) : 0;
    const rel = new Float64Array(n + 1);
    let prev = base;
    for (let k = 0; k < n; k++) {
      const e = Number(view.getBigInt64((k + start - from) * 8, true));
      if (!(e >= prev && e <= limit)) {
        throw new ColzError(
          "ERR_CORRUPT_CHUNK",
          `${where(this.store, this.prefix)}data: offset ${e} of row ${start + k} is not within ${prev}..${limit}`,
        );
      }
      rel[k + 1] = e - base;
      prev = e;
    }
    if (base < 0 || base > limit) {
      throw new ColzError(
        "ERR_CORRUPT_CHUNK",
        `${where(this.store, this.prefix)}data: offset ${base} of row ${start - 1} is out of range`,
      );
    }
    const data = await this.bytes!.readRows(base, prev);
    const offsets = prev - base < 2 ** 31 ? Int32Array.from(rel) : BigInt64Array.from(rel, (x) => BigInt(x));
    return { kind: this.type.kind as "utf8" | "binary", length: n, offsets, data };
  }
}

function allocate(bytes: number, shared = false): Uint8Array {
  try {
    return shared ? new Uint8Array(new SharedArrayBuffer(bytes)) : new Uint8Array(bytes);
  } catch (e) {
    throw new ColzError("ERR_TOO_LARGE", `cannot allocate ${bytes} bytes; read fewer rows at a time`, { cause: e });
  }
}

async function openWriters(store: Store, prefix: string, varlen: boolean, nullable: boolean): Promise<Writers> {
  const main = await CArrayWriter.open(store, prefix);
  const validity = nullable ? await CArrayWriter.open(store, validityPrefix(prefix)) : undefined;
  let bytes: CArrayWriter | undefined;
  let end = 0;
  if (varlen) {
    bytes = await CArrayWriter.open(store, valuesPrefix(prefix));
    if (main.length > 0) {
      const reader = await PhysicalArray.open(store, prefix, { writable: false });
      const b = await reader.readRows(main.length - 1, main.length);
      end = Number(new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true));
    }
    if (end > bytes.length || end < 0) {
      throw new ColzError(
        "ERR_CORRUPT_META",
        `${where(store, prefix)}: offsets end at ${end} but ${valuesPrefix(prefix)} holds ${bytes.length} bytes`,
      );
    }
    // Bytes beyond the last committed offset come from an interrupted commit: cut them off.
    if (bytes.length > end) await bytes.commit(end);
  }
  const mainAppender = await CArrayAppender.open(main, validity);
  const bytesAppender = bytes === undefined ? undefined : await CArrayAppender.open(bytes);
  return { main, validity, bytes, mainAppender, bytesAppender, end };
}

/** Options of reads that can decode into the caller's memory. */
export interface ReadIntoOptions {
  /**
   * Fixed-size columns: decode into this buffer (any typed array or ArrayBuffer of at least
   * rows × atomsize bytes) instead of a new one. Reusing it across scans avoids paying for fresh
   * memory on every read, which can cost more than the decompression itself.
   */
  out?: ArrayBufferView | ArrayBuffer | SharedArrayBuffer;
  /**
   * Fixed-size columns on Node directory stores: decode with this many threads (default 1), the
   * calling one plus `threads - 1` worker threads from a pool shared by the process (started on
   * first use, idle workers never keep the process alive; `closeScanWorkers()` from
   * `@colz/ctable/node` ends them). Each thread reads, checks and decodes its share of the chunks
   * into the output, which must then live in a SharedArrayBuffer: pass such an `out`, or give no
   * `out` and get an array backed by a new SharedArrayBuffer. Anywhere else (memory, zip or HTTP
   * stores, an `out` in a plain ArrayBuffer, reads of one chunk, variable-length columns) the
   * read runs on the calling thread, with the same result. An integer in 1..64.
   *
   * @example
   * const out = new Float64Array(new SharedArrayBuffer(t.length * 8));
   * await t.readColumn("price", 0, t.length, { out, threads: 2 });
   */
  threads?: number;
}

function outBytes(
  out: ArrayBufferView | ArrayBuffer | SharedArrayBuffer | undefined,
  size: number,
  itemsize: number,
): Uint8Array | undefined {
  if (out === undefined) return undefined;
  const bytes = ArrayBuffer.isView(out)
    ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
    : out instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && out instanceof SharedArrayBuffer)
      ? new Uint8Array(out)
      : undefined;
  if (bytes === undefined) throw badArgument("read option `out` must be a typed array or an ArrayBuffer");
  if (bytes.length < size) throw badArgument(`read option \`out\` holds ${bytes.length} bytes, ${size} needed`);
  // toTypedArray needs the element alignment of the dtype; a misaligned view cannot be used as is.
  const align = Math.min(itemsize, 8);
  if (bytes.byteOffset % align !== 0) {
    throw badArgument(`read option \`out\` must start at a multiple of ${align} bytes for this column`);
  }
  return bytes.subarray(0, size);
}
