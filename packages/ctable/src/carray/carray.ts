import { commitCArrays, type Dtype, type PyJsonValue, type Store, type WriterLock } from "@colz/format";
import { Attrs } from "../attrs.js";
import { badArgument, closed, readOnly, where } from "../errors.js";
import type { ColumnInput, ColumnSchema, ColumnSpec, ColumnValues, JsValue, LogicalKind, Mode } from "../types.js";
import { Mutex } from "../util/mutex.js";
import { type ColumnType, schemaOf } from "../values/column-type.js";
import { toColumnValues } from "../values/convert.js";
import { type ToJsOptions, toJsArray } from "../values/to-js.js";
import { type CArrayCreateOptions, type CArrayOpenOptions, createColumn, openColumn } from "./carray-open.js";
import type { ColumnIO, ReadIntoOptions } from "./column-io.js";
import { type ResolvedCParams, userCParams } from "./cparams.js";
import { reduce } from "./reductions.js";
import { resizeColumns } from "./resize.js";
import { maskIndices, normalizeSlice, resolveIndex, resolveIndices, sliceIndices, takeRows } from "./selection.js";

export type { CArrayCreateOptions, CArrayOpenOptions } from "./carray-open.js";

/** One chunk of a column, as `iterChunks` yields it. */
export interface ColumnChunk {
  start: number;
  stop: number;
  values: ColumnValues;
}

/** @internal How a CArray is held: standalone (own lock, maybe own store) or as a table column. */
export interface CArrayOwner {
  /** Column name when the carray belongs to a CTable (writes go through the table). */
  column?: string;
  lock?: WriterLock;
  /** Close the store with the carray (node helpers). */
  ownsStore?: boolean;
}

/**
 * A compressed, chunked column (bcolz's carray): fixed-size values of one NumPy dtype, or colz's
 * utf8/binary columns, optionally nullable. Appends buffer the partial last chunk in memory and
 * write full chunks as they fill; `flush()` commits. Reads decompress only the chunks they touch.
 *
 * @example
 * const a = await CArray.create(new MemoryStore(), new Float64Array([1, 2, 3]));
 * await a.append([4, 5]);
 * await a.flush();
 * (await a.slice(-2)).data; // Float64Array [4, 5]
 */
export class CArray {
  private readonly mutex = new Mutex();
  private isClosed = false;
  /** User attributes (`__attrs__`), persisted on every change. */
  readonly attrs: Attrs;

  private constructor(
    private readonly io: ColumnIO,
    /** The mode it was opened with. */
    readonly mode: Mode,
    private readonly owner: CArrayOwner,
  ) {
    this.attrs = new Attrs(io.store, io.prefix, io.main.meta.attrs, (op) => this.checkWritable(op, false));
  }

  /**
   * Creates a carray at `options.prefix` of `store` from data (a typed array, a JS array with
   * nulls, ColumnValues) or from a type alone (`{dtype: "float64"}`), taking the store's writer
   * lock. Mode "a" (default) refuses an existing container; "w" replaces it.
   *
   * @example
   * const prices = await CArray.create(store, [1.5, null, 2], { chunklen: 1000 });
   * const names = await CArray.create(store, { dtype: "utf8", nullable: true }, { prefix: "names" });
   */
  static async create(
    store: Store,
    input?: ColumnInput | Iterable<JsValue> | Omit<ColumnSpec, "name"> | null,
    options: CArrayCreateOptions = {},
  ): Promise<CArray> {
    const { io, mode, lock, values } = await createColumn(store, input, options);
    const a = new CArray(io, mode, { lock });
    try {
      if (values !== undefined) {
        await io.append(values);
        await a.flush();
      }
    } catch (e) {
      await lock.release();
      throw e;
    }
    return a;
  }

  /**
   * Opens the carray at `options.prefix`. Mode "r" (default) takes no lock and refuses writes
   * (ERR_READ_ONLY); "a" takes the store's writer lock (ERR_LOCKED after `waitMs`) and appends.
   * ERR_NOT_A_CONTAINER when there is no carray there.
   *
   * @example
   * const a = await CArray.open(store, { mode: "a", prefix: "price" });
   */
  static async open(store: Store, options: CArrayOpenOptions = {}): Promise<CArray> {
    const { io, mode, lock } = await openColumn(store, options);
    return new CArray(io, mode, { lock });
  }

  /** @internal A column of a CTable (its writes go through the table). */
  static attach(io: ColumnIO, mode: Mode, owner: CArrayOwner): CArray {
    return new CArray(io, mode, owner);
  }

  /** @internal */
  get columnIO(): ColumnIO {
    return this.io;
  }
  /** @internal Used by the node helpers to close the store with the carray. */
  set closesStore(v: boolean) {
    this.owner.ownsStore = v;
  }

  /** Rows, committed or appended. */
  get length(): number {
    return this.io.length;
  }
  /** The stored dtype (int64 end offsets for utf8/binary columns). */
  get dtype(): Dtype {
    return this.io.type.dtype;
  }
  /** "fixed" for every bcolz dtype, "utf8" / "binary" for colz's variable-length columns. */
  get kind(): LogicalKind {
    return this.io.type.kind;
  }
  get nullable(): boolean {
    return this.io.type.nullable;
  }
  /** shape[1:] of an N-D carray (empty for 1-D). */
  get atomShape(): readonly number[] {
    return this.io.type.atomShape;
  }
  /** The column name inside a table, "" for a standalone carray. */
  get name(): string {
    return this.owner.column ?? "";
  }
  /** Name, dtype, kind, nullability and atom shape. */
  get schema(): ColumnSchema {
    return schemaOf(this.name, this.io.type);
  }
  /** @internal */
  get type(): ColumnType {
    return this.io.type;
  }
  get store(): Store {
    return this.io.store;
  }
  get prefix(): string {
    return this.io.prefix;
  }
  /** Rows per chunk. */
  get chunklen(): number {
    return this.io.main.chunklen;
  }
  /** Compression of new chunks. */
  get cparams(): ResolvedCParams {
    return userCParams(this.io.main.meta.cparams);
  }
  /** The creation-time length hint from meta/storage. */
  get expectedlen(): number {
    return this.io.main.meta.expectedlen;
  }
  /** Fill value for growing (meta/storage `dflt`). */
  get dflt(): PyJsonValue {
    return this.io.main.meta.dflt;
  }
  /** Uncompressed bytes of the rows (offsets + bytes for utf8/binary, + validity bytes). */
  get nbytes(): number {
    const { main, validity, bytes } = this.io;
    return main.length * main.atomsize + (validity?.length ?? 0) + (bytes?.length ?? 0);
  }
  /**
   * Compressed bytes as bcolz counts them in meta/sizes (full chunks compressed + the leftover
   * chunk at its uncompressed size), over every carray of the column, as of the last commit.
   */
  get cbytes(): number {
    const { main, validity, bytes } = this.io;
    return [main, validity, bytes].reduce((s, p) => s + (p?.meta.sizes.cbytes ?? 0), 0);
  }
  /** nbytes / cbytes. */
  get ratio(): number {
    return this.cbytes === 0 ? 0 : this.nbytes / this.cbytes;
  }

  private describe(): string {
    const col = this.owner.column;
    return col === undefined
      ? `carray ${where(this.io.store, this.io.prefix)}`
      : `column ${JSON.stringify(col)} (${where(this.io.store, this.io.prefix)})`;
  }

  private checkOpen(op: string): void {
    if (this.isClosed) throw closed(op, this.describe());
  }

  private checkWritable(op: string, rows = true): void {
    this.checkOpen(op);
    if (this.mode === "r") throw readOnly(op, this.describe());
    if (rows && this.owner.column !== undefined) {
      throw badArgument(`${op}() on ${this.describe()}: the column belongs to a table; change rows through the CTable`);
    }
  }

  /**
   * Appends values (typed array, JS array with nulls, ColumnValues); full chunks are written as
   * they fill, the rest waits for flush().
   *
   * @example
   * await a.append(new Float64Array([1, 2])); await a.append([3]);
   */
  async append(values: ColumnInput | Iterable<JsValue>): Promise<void> {
    this.checkWritable("append");
    const v = toColumnValues(values, this.io.type, this.describe());
    await this.mutex.run(() => this.io.append(v));
  }

  /**
   * Commits every appended row: after it returns, a crash loses none of them.
   *
   * @example
   * await a.flush();
   */
  async flush(): Promise<void> {
    this.checkWritable("flush");
    await this.mutex.run(() => this.commit());
  }

  private async commit(): Promise<void> {
    if (!this.io.dirty) return;
    await this.io.flushChunks();
    await commitCArrays(this.io.store, this.io.commitEntries());
    await this.io.afterCommit();
  }

  /**
   * Values of rows [start, stop) in colz's in-memory form (see ColumnValues).
   *
   * @example
   * const v = await a.readValues(0, 100); // { kind: "fixed", data: Float64Array(100), ... }
   * await a.readValues(0, 100, { out: reused }); // decodes into `reused` (fixed-size columns)
   */
  async readValues(start: number, stop: number, options?: ReadIntoOptions): Promise<ColumnValues> {
    this.checkOpen("readValues");
    return this.io.readValues(start, stop, options);
  }

  /**
   * Python-style slice: negative indices count from the end, a negative step walks backwards.
   * Fixed columns come back as a typed array in `.data` (see ColumnValues).
   *
   * @example
   * (await a.slice(-10)).data;          // the last 10 values
   * (await a.slice(undefined, undefined, -1)).data; // reversed
   */
  async slice(start?: number, stop?: number, step?: number): Promise<ColumnValues> {
    this.checkOpen("slice");
    const s = normalizeSlice(this.length, start, stop, step);
    if (s.step === 1) return this.io.readValues(s.start, s.start + s.count);
    return this.takeResolved(sliceIndices(s));
  }

  /**
   * Rows at `indices` (negative from the end, any order, repeats allowed).
   *
   * @example
   * (await a.take([0, -1])).length; // 2
   */
  async take(indices: ArrayLike<number>): Promise<ColumnValues> {
    this.checkOpen("take");
    return this.takeResolved(resolveIndices(indices, this.length, this.describe()));
  }

  /**
   * Rows where `mask` (one entry per row) is truthy.
   *
   * @example
   * await a.filter(values.map((x) => x > 10));
   */
  async filter(mask: ArrayLike<boolean | number>): Promise<ColumnValues> {
    this.checkOpen("filter");
    return this.takeResolved(maskIndices(mask, this.length, this.describe()));
  }

  /** @internal Rows at already-resolved indices. */
  takeResolved(indices: ArrayLike<number>): Promise<ColumnValues> {
    return takeRows((s, e) => this.io.readValues(s, e), this.chunklen, indices, this.io.type);
  }

  /**
   * Plain JS values of a slice (see toJsArray for the mapping).
   *
   * @example
   * await a.toArray(0, 3); // [1.5, null, 2]
   */
  async toArray(start?: number, stop?: number, step?: number, options?: ToJsOptions): Promise<JsValue[]> {
    return toJsArray(await this.slice(start, stop, step), options);
  }

  /**
   * The value of row `i` (negative from the end) as plain JS; decodes its chunk once and keeps it
   * for the next call.
   *
   * @example
   * await a.get(-1);
   */
  async get(i: number, options?: ToJsOptions): Promise<JsValue> {
    this.checkOpen("get");
    const r = resolveIndex(i, this.length, this.describe());
    return toJsArray(await this.io.readValues(r, r + 1), options)[0]!;
  }

  /**
   * Every chunk in order, decoded straight into its own typed array (no further copy).
   *
   * @example
   * for await (const { start, values } of a.iterChunks()) console.log(start, values.length);
   */
  async *iterChunks(): AsyncGenerator<ColumnChunk> {
    this.checkOpen("iterChunks");
    const L = this.chunklen;
    const n = this.length;
    for (let start = 0; start < n; start += L) {
      const stop = Math.min(n, start + L);
      yield { start, stop, values: await this.io.readValues(start, stop) };
    }
  }

  /** Iterates the values as plain JS, chunk by chunk. @example for await (const x of a) ... */
  async *[Symbol.asyncIterator](): AsyncGenerator<JsValue> {
    for await (const { values } of this.iterChunks()) yield* toJsArray(values);
  }

  /**
   * Sets the length to `n` and commits: shrinking truncates (FORMAT.md §8.1), growing appends
   * nulls (nullable columns) or the fill value `dflt`. Pending appends are committed first.
   *
   * @example
   * await a.resize(0);
   */
  async resize(n: number): Promise<void> {
    this.checkWritable("resize");
    if (!Number.isSafeInteger(n) || n < 0) throw badArgument(`resize(${n}): the length must be a non-negative integer`);
    await this.mutex.run(async () => {
      await this.commit();
      await resizeColumns([this.io], n);
    });
  }

  /**
   * Removes the last `n` rows and commits (bcolz's trim).
   *
   * @example
   * await a.trim(10);
   */
  async trim(n: number): Promise<void> {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.length) {
      throw badArgument(`trim(${n}): must be an integer in 0..${this.length}`);
    }
    await this.resize(this.length - n);
  }

  /** Sum of the non-null values (NaN propagates). @example await a.sum() */
  sum(): Promise<number | bigint> {
    this.checkOpen("sum");
    return reduce(this.io, "sum") as Promise<number | bigint>;
  }
  /** Smallest non-null value (NaN propagates; NaT skipped), undefined when there is none; uses chunk statistics. */
  min(): Promise<number | bigint | undefined> {
    this.checkOpen("min");
    return reduce(this.io, "min");
  }
  /** Largest non-null value, like min(). @example await a.max() */
  max(): Promise<number | bigint | undefined> {
    this.checkOpen("max");
    return reduce(this.io, "max");
  }
  /** Mean of the non-null values (NaN when there are none). @example await a.mean() */
  mean(): Promise<number> {
    this.checkOpen("mean");
    return reduce(this.io, "mean") as Promise<number>;
  }

  /**
   * Commits pending appends (writers), releases the writer lock and, when a node helper opened
   * the store, closes it. Idempotent. A column of a table is closed by its table.
   *
   * @example
   * await a.close();
   */
  async close(): Promise<void> {
    if (this.isClosed || this.owner.column !== undefined) return;
    await this.mutex.run(async () => {
      if (this.isClosed) return;
      try {
        if (this.mode !== "r") await this.commit();
      } finally {
        this.isClosed = true;
        await this.owner.lock?.release();
        if (this.owner.ownsStore) await this.io.store.close();
      }
    });
  }
}
