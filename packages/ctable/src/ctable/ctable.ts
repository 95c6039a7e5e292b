import { commitCArrays, type Store, validateColumnName, type WriterLock } from "@colz/format";
import { Attrs } from "../attrs.js";
import { CArray } from "../carray/carray.js";
import type { ColumnCreateOptions, ColumnIO, ReadIntoOptions } from "../carray/column-io.js";
import { resizeColumns } from "../carray/resize.js";
import { maskIndices, normalizeSlice, resolveIndices, sliceIndices } from "../carray/selection.js";
import { badArgument, closed, readOnly, where } from "../errors.js";
import { where as evaluateWhere, iterWhere as iterateWhere } from "../expr/index.js";
import type {
  ColumnInput,
  ColumnSchema,
  ColumnSource,
  ColumnSpec,
  ColumnValues,
  Mode,
  Row,
  ScanStep,
  Selection,
  WhereOptions,
} from "../types.js";
import { Mutex } from "../util/mutex.js";
import { schemaOf } from "../values/column-type.js";
import { toColumnValues } from "../values/convert.js";
import { resolveInputType, specFields } from "../values/input-type.js";
import { type ToJsOptions, toRows } from "../values/to-js.js";
import type { Columns, CTableCreateOptions, CTableOpenOptions, ReadOptions, TableInput } from "./options.js";
import { planScan } from "./scan-plan.js";
import { convertAppend, parseTableInput, rowsToEntries } from "./table-input.js";
import { addTableColumn, removeTableColumn, renameTableColumn, type TableState } from "./table-layout.js";
import { createTable, type OpenedTable, openTable } from "./table-open.js";
import { readRange, takeColumns } from "./table-reads.js";

export type { Columns, CTableCreateOptions, CTableOpenOptions, ReadOptions, TableInput } from "./options.js";

/**
 * A table of equal-length compressed columns (bcolz's ctable); each column is a CArray. Appends
 * take columns or rows and buffer partial chunks; `flush()` commits all columns together.
 * Implements ColumnSource, which where() and the Arrow exporter read through.
 *
 * @example
 * const t = await CTable.create(new MemoryStore(), { id: new Int32Array([1, 2]), sym: ["AAPL", "MSFT"] });
 * await t.append([{ id: 3, sym: "IBM" }]);
 * await t.flush();
 * const hits = await t.where('(id > 1) & (sym == "IBM")'); // Selection
 */
export class CTable implements ColumnSource {
  private readonly mutex = new Mutex();
  private readonly views = new Map<string, CArray>();
  private isClosed = false;
  /** Table attributes (`__attrs__`), persisted on every change. */
  readonly attrs: Attrs;

  private readonly state: TableState;
  private readonly lock: WriterLock | undefined;
  private ownsStore = false;
  /** Each column's own length at open (they differ only after an interrupted commit, for readers). */
  readonly columnLengths: readonly number[];

  private constructor(opened: OpenedTable) {
    this.state = opened.state;
    this.lock = opened.lock;
    this.columnLengths = opened.lengths;
    this.attrs = new Attrs(this.state.store, this.state.prefix, opened.attrs, (op) => this.checkWritable(op));
  }

  /**
   * Creates a table from `{name: column}` data, row objects, or a schema (an empty table), taking
   * the store's writer lock. Mode "a" (default) refuses an existing container, "w" replaces it.
   * Column names: any non-empty string valid as one key segment (ERR_BAD_KEY otherwise).
   *
   * @example
   * await CTable.create(store, [{ name: "id", dtype: "int64", kind: "fixed", nullable: false, atomShape: [] }]);
   * await CTable.create(store, { price: [1.5, 2], sym: ["A", "B"] }, { schema: { sym: "|S4" } });
   */
  static async create(store: Store, columns?: TableInput | null, options: CTableCreateOptions = {}): Promise<CTable> {
    const { opened, data } = await createTable(store, columns, options);
    const table = new CTable(opened);
    try {
      if (data !== undefined) {
        for (const [name, values] of Object.entries(data)) await table.state.ios.get(name)!.append(values);
        await table.flush();
      }
    } catch (e) {
      await opened.lock?.release();
      throw e;
    }
    return table;
  }

  /**
   * Opens the table at `options.prefix`. Mode "r" (default) takes no lock and refuses writes
   * (ERR_READ_ONLY); "a" takes the writer lock (ERR_LOCKED after `waitMs`), creating an empty
   * table when there is none; "w" replaces whatever is there with an empty table.
   *
   * @example
   * const t = await CTable.open(store, { mode: "a", waitMs: 5000 });
   */
  static async open(store: Store, options: CTableOpenOptions = {}): Promise<CTable> {
    return new CTable(await openTable(store, options));
  }

  /** @internal The node helpers hand the store over to the table, which closes it. */
  set closesStore(v: boolean) {
    this.ownsStore = v;
  }

  get store(): Store {
    return this.state.store;
  }
  get prefix(): string {
    return this.state.prefix;
  }
  get mode(): Mode {
    return this.state.mode;
  }
  /** Rows (appended ones included); the shortest column for readers of an interrupted commit. */
  get length(): number {
    let n: number | undefined;
    for (const io of this.state.ios.values()) n = n === undefined ? io.length : Math.min(n, io.length);
    return n ?? 0;
  }
  /** Column names in table order. */
  get columnNames(): readonly string[] {
    return [...this.state.names];
  }
  get schema(): readonly ColumnSchema[] {
    return this.state.names.map((n) => schemaOf(n, this.state.ios.get(n)!.type));
  }
  /** Every column as a CArray, by name (reads only; change rows through the table). */
  get columns(): Readonly<Record<string, CArray>> {
    return Object.fromEntries(this.state.names.map((n) => [n, this.column(n)]));
  }

  private describe(): string {
    return `ctable ${where(this.state.store, this.state.prefix)}`;
  }
  private checkOpen(op: string): void {
    if (this.isClosed) throw closed(op, this.describe());
  }
  private checkWritable(op: string): void {
    this.checkOpen(op);
    if (this.state.mode === "r") throw readOnly(op, this.describe());
  }
  private io(name: string): ColumnIO {
    const io = this.state.ios.get(name);
    if (io === undefined) {
      throw badArgument(
        `${this.describe()} has no column ${JSON.stringify(name)} (columns: ${this.state.names.map((n) => JSON.stringify(n)).join(", ")})`,
      );
    }
    return io;
  }

  /**
   * The column `name` as a CArray (ERR_BAD_ARGUMENT for an unknown name).
   *
   * @example
   * await t.column("price").max();
   */
  column(name: string): CArray {
    const io = this.io(name);
    const view = this.views.get(name);
    if (view !== undefined && view.columnIO === io) return view;
    const fresh = CArray.attach(io, this.state.mode, { column: name });
    this.views.set(name, fresh);
    return fresh;
  }

  /**
   * Appends rows given as `{name: column}` (every column, equal lengths) or as row objects
   * (missing keys are null). A table without columns takes its schema from the first append,
   * which is committed at once (each new column is complete before __rootdirs__ lists it).
   *
   * @example
   * await t.append({ id: [4, 5], sym: ["A", null] });
   * await t.append([{ id: 6, sym: "B" }]);
   */
  async append(data: Record<string, ColumnInput> | readonly Row[]): Promise<void> {
    this.checkWritable("append");
    await this.mutex.run(async () => {
      if (this.state.names.length === 0 && this.length === 0) {
        const input = Array.isArray(data)
          ? new Map(rowsToEntries(data as readonly Row[], undefined, this.describe()))
          : data;
        const parsed = parseTableInput(input as ReadonlyMap<string, ColumnInput>, undefined, this.describe());
        for (const { name, type } of parsed.columns)
          await addTableColumn(this.state, name, type, parsed.data![name], 0, {});
        return;
      }
      const converted = convertAppend(this.state.names, (n) => this.io(n).type, data, this.describe());
      for (let c = 0; c < converted.length; c++) await this.state.ios.get(this.state.names[c]!)!.append(converted[c]!);
    });
  }

  /**
   * Commits every column's appended rows together (FORMAT.md §8.3): after it returns, a crash
   * loses nothing appended before it.
   *
   * @example
   * await t.flush();
   */
  async flush(): Promise<void> {
    this.checkWritable("flush");
    await this.mutex.run(() => this.commit());
  }

  private async commit(): Promise<void> {
    const ios = [...this.state.ios.values()];
    if (!ios.some((io) => io.dirty)) return;
    for (const io of ios) await io.flushChunks();
    await commitCArrays(
      this.state.store,
      ios.flatMap((io) => io.commitEntries()),
    );
    await Promise.all(ios.map((io) => io.afterCommit()));
  }

  /**
   * ColumnSource: values of rows [start, stop) of one column; `{ out }` decodes a fixed-size column
   * into a reused buffer.
   *
   * @example
   * await t.readColumn("price", 0, 10);
   */
  async readColumn(name: string, start: number, stop: number, options?: ReadIntoOptions): Promise<ColumnValues> {
    this.checkOpen("readColumn");
    const io = this.io(name);
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(stop) ||
      start < 0 ||
      stop < start ||
      stop > this.length
    ) {
      throw badArgument(
        `readColumn(${JSON.stringify(name)}, ${start}, ${stop}): outside 0..${this.length} of ${this.describe()}`,
      );
    }
    return io.readValues(start, stop, options);
  }

  /** ColumnSource: chunk-aligned steps over [start, stop) with their statistics. @example await t.scanPlan(["price"], 0, t.length) */
  async scanPlan(columns: readonly string[], start: number, stop: number): Promise<ScanStep[]> {
    this.checkOpen("scanPlan");
    const cols = columns.map((name) => ({ name, io: this.io(name) }));
    const lo = Math.max(0, Math.min(start, this.length));
    const hi = Math.max(lo, Math.min(stop, this.length));
    const fallback = this.state.ios.values().next().value?.main.chunklen ?? 65536;
    return planScan(cols, lo, hi, fallback);
  }

  private names(options?: ReadOptions): readonly string[] {
    const names = options?.columns ?? this.state.names;
    for (const n of names) this.io(n);
    return names;
  }

  /**
   * A Python-style slice of the table (negative indices and steps too) as `{name: ColumnValues}`.
   *
   * @example
   * const { price } = await t.slice(-100, undefined, 1, { columns: ["price"] });
   */
  async slice(start?: number, stop?: number, step?: number, options?: ReadOptions): Promise<Columns> {
    this.checkOpen("slice");
    const s = normalizeSlice(this.length, start, stop, step);
    if (s.step === 1) return readRange(this.state.ios, this.names(options), s.start, s.start + s.count);
    return takeColumns(this.state.ios, this.names(options), sliceIndices(s));
  }

  /** Rows at `indices` (negative from the end, any order). @example await t.take([0, -1]) */
  async take(indices: ArrayLike<number>, options?: ReadOptions): Promise<Columns> {
    this.checkOpen("take");
    return takeColumns(this.state.ios, this.names(options), resolveIndices(indices, this.length, this.describe()));
  }

  /** Rows where `mask` (one entry per row) is truthy. @example await t.filter(mask) */
  async filter(mask: ArrayLike<boolean | number>, options?: ReadOptions): Promise<Columns> {
    this.checkOpen("filter");
    return takeColumns(this.state.ios, this.names(options), maskIndices(mask, this.length, this.describe()));
  }

  /**
   * Rows as plain objects (see toJsArray for the value mapping), for a Python-style slice.
   *
   * @example
   * await t.rows(0, 2); // [{ id: 1, sym: "AAPL" }, { id: 2, sym: "MSFT" }]
   */
  async rows(start?: number, stop?: number, step?: number, options?: ReadOptions & ToJsOptions): Promise<Row[]> {
    return toRows(await this.slice(start, stop, step, options), options);
  }

  /**
   * Batches of rows in order (`batchSize` rows, default the largest chunklen of the columns read).
   *
   * @example
   * for await (const b of t.iterBatches({ columns: ["price"] })) sum += b.columns.price.length;
   */
  async *iterBatches(
    options: ReadOptions & { start?: number; stop?: number; batchSize?: number } = {},
  ): AsyncGenerator<{ start: number; stop: number; columns: Columns }> {
    this.checkOpen("iterBatches");
    const names = this.names(options);
    const size = options.batchSize ?? Math.max(1, ...names.map((n) => this.state.ios.get(n)!.main.chunklen));
    const stop = Math.min(options.stop ?? this.length, this.length);
    for (let s = Math.max(0, options.start ?? 0); s < stop; s += size) {
      const e = Math.min(stop, s + size);
      yield { start: s, stop: e, columns: await readRange(this.state.ios, names, s, e) };
    }
  }

  /**
   * Every row as a plain object, read batch by batch.
   *
   * @example
   * for await (const row of t.iter({ columns: ["sym"] })) console.log(row.sym);
   */
  async *iter(options: ReadOptions & ToJsOptions & { start?: number; stop?: number } = {}): AsyncGenerator<Row> {
    for await (const b of this.iterBatches(options)) yield* toRows(b.columns, options);
  }

  /**
   * Rows matching an expression (comparisons, `& | ~`, arithmetic, column names, literals),
   * evaluated chunk by chunk, skipping chunks whose statistics rule them out. No eval.
   *
   * @example
   * const sel = await t.where('(price > 10) & (sym == "AAPL")', { columns: ["price"], limit: 100 });
   */
  where(expr: string, options?: WhereOptions): Promise<Selection> {
    this.checkOpen("where");
    return evaluateWhere(this, expr, options);
  }

  /** Like where(), as batches of matching rows. @example for await (const s of t.iterWhere("x > 0")) ... */
  iterWhere(expr: string, options?: WhereOptions): AsyncIterable<Selection> {
    this.checkOpen("iterWhere");
    return iterateWhere(this, expr, options);
  }

  /**
   * Adds a column filled with `values` (as many rows as the table) or, given a spec or nothing but
   * `dtype`, with nulls / the fill value. Pending appends are committed first.
   *
   * @example
   * await t.addColumn("flag", new Uint8Array(t.length), { dtype: "bool" });
   * await t.addColumn("note", { dtype: "utf8", nullable: true });
   */
  async addColumn(
    name: string,
    values?: ColumnInput | Omit<ColumnSpec, "name">,
    options: Omit<ColumnSpec, "name"> & ColumnCreateOptions = {},
  ): Promise<CArray> {
    this.checkWritable("addColumn");
    validateColumnName(name);
    if (this.state.ios.has(name)) throw badArgument(`${this.describe()} already has a column ${JSON.stringify(name)}`);
    await this.mutex.run(async () => {
      await this.commit();
      const what = `${this.describe()} column ${JSON.stringify(name)}`;
      const { type, data } = resolveInputType(values, specFields(options), what);
      const v = data === undefined ? undefined : toColumnValues(data, type, what);
      const length = this.state.names.length === 0 && v !== undefined ? v.length : this.length;
      if (v !== undefined && v.length !== length) throw badArgument(`${what}: ${v.length} values for ${length} rows`);
      await addTableColumn(this.state, name, type, v, length, options);
    });
    return this.column(name);
  }

  /**
   * Removes a column (unlisted first, then its keys deleted).
   *
   * @example
   * await t.removeColumn("flag");
   */
  async removeColumn(name: string): Promise<void> {
    this.checkWritable("removeColumn");
    this.io(name);
    await this.mutex.run(() => removeTableColumn(this.state, name));
    this.views.delete(name);
  }

  /**
   * Renames a column (its keys are copied; pending appends are committed first).
   *
   * @example
   * await t.renameColumn("px", "price");
   */
  async renameColumn(from: string, to: string): Promise<void> {
    this.checkWritable("renameColumn");
    this.io(from);
    validateColumnName(to);
    if (from === to) return;
    if (this.state.ios.has(to)) throw badArgument(`${this.describe()} already has a column ${JSON.stringify(to)}`);
    await this.mutex.run(async () => {
      await this.commit();
      await renameTableColumn(this.state, from, to);
    });
    this.views.delete(from);
  }

  /**
   * Sets the number of rows and commits: shrinking truncates every column, growing appends nulls
   * or each column's fill value.
   *
   * @example
   * await t.resize(0);
   */
  async resize(n: number): Promise<void> {
    this.checkWritable("resize");
    if (!Number.isSafeInteger(n) || n < 0) throw badArgument(`resize(${n}): the length must be a non-negative integer`);
    await this.mutex.run(async () => {
      await this.commit();
      await resizeColumns([...this.state.ios.values()], n);
    });
  }

  /** Removes the last `n` rows and commits. @example await t.trim(1) */
  async trim(n: number): Promise<void> {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.length)
      throw badArgument(`trim(${n}): must be an integer in 0..${this.length}`);
    await this.resize(this.length - n);
  }

  /**
   * Commits pending appends (writers), releases the writer lock and, when a node helper opened
   * the store, closes it. Idempotent.
   *
   * @example
   * await t.close();
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.mutex.run(async () => {
      if (this.isClosed) return;
      try {
        if (this.state.mode !== "r") await this.commit();
      } finally {
        this.isClosed = true;
        await this.lock?.release();
        if (this.ownsStore) await this.state.store.close();
      }
    });
  }
}
