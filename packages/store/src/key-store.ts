import type { ColumnValues, CParamsInput } from "@colz/ctable";
import { CTable } from "@colz/ctable";
import { ColzError, type Store } from "@colz/format";
import type { KeyBackend, ValueView } from "./backend.js";
import { type ColumnArray, toColumnArray } from "./column-arrays.js";
import { NOT_FAST } from "./fast-columns.js";
import { decodeStem, type EncodedKey, encodeKey } from "./key-codec.js";
import {
  type GetColumnsOptions,
  type GetOptions,
  type KeyStoreOptions,
  openStoreBackend,
  type RenameOptions,
} from "./key-store-options.js";
import { type KeyValue, type ValueOptions, writeValue } from "./value-writer.js";

/** How many times a reader retries when a writer replaced the version it was reading (dir layout). */
const READ_RETRIES = 8;

/**
 * A Map-like, durable mapping of string keys to compressed tables (ctables), every method async.
 * Writing a key is atomic: readers see the old or the new table, never a mix; a crash leaves the
 * old value. One writer process at a time (mode 'a'/'w' takes a lock), any number of readers.
 *
 * This entry point opens key stores kept in a Store (MemoryStore, DirectoryStore, HttpStore...);
 * `@colz/store/node` adds paths, the zip layout and atomic renames.
 *
 * @example
 * const ks = await KeyStore.open(new MemoryStore(), { mode: "a" });
 * await ks.set("AAPL", { price: new Float64Array([1.5, 2.5]), volume: new BigInt64Array([10n, 20n]) });
 * const { price } = (await ks.getColumns("AAPL"))!;
 * for await (const key of ks.keys()) console.log(key);
 * await ks.close();
 */
export class KeyStore {
  private readonly openTables = new Set<CTable>();
  /** Stems of tables open for writing: set/delete/rename of those keys is refused. */
  private readonly writableStems = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  protected constructor(
    protected readonly backend: KeyBackend,
    private readonly defaults: { cparams?: CParamsInput },
  ) {}

  /**
   * Opens the key store kept in `store` (dir layout, key prefixes). Mode 'a' creates it.
   * ERR_NOT_FOUND (mode 'r', none there), ERR_LOCKED (another writer), ERR_READ_ONLY.
   *
   * @example
   * const ks = await KeyStore.open(new MemoryStore(), { mode: "a" });
   */
  static async open(store: Store, options: KeyStoreOptions = {}): Promise<KeyStore> {
    return new KeyStore(await openStoreBackend(store, options), { cparams: options.cparams });
  }

  /** True when opened with mode 'r'. */
  get readOnly(): boolean {
    return this.backend.readOnly;
  }

  /** The path or store description. */
  get description(): string {
    return this.backend.description;
  }

  /**
   * The table under `key`, opened lazily (only its metadata is read now), or undefined. Close it
   * when done. Read-only unless `writable` is asked for (writer stores; appends go in place).
   *
   * @example
   * const table = await ks.get("AAPL");
   * const prices = await table?.readColumn("price", 0, table.length);
   * await table?.close();
   */
  async get(key: string, options: GetOptions = {}): Promise<CTable | undefined> {
    this.check();
    const writable = options.writable === true;
    if (writable) this.checkWritable("get");
    const name = await this.resolve(key);
    if (name === undefined) return undefined;
    for (let attempt = 0; ; attempt++) {
      const view = await this.backend.open(name, writable);
      if (view === undefined) return undefined;
      let table: CTable;
      try {
        table = await CTable.open(view.store, { mode: writable ? "a" : "r", prefix: view.prefix });
      } catch (e) {
        await view.close();
        if (!(await this.replacedSince(name, view, attempt))) throw e;
        continue;
      }
      return this.track(name, view, table, writable);
    }
  }

  /**
   * Reads whole columns of `key` in one call: `{ name: array }` for `names` (default: all), or
   * undefined when the key does not exist. See ColumnArray; `raw` returns ColumnValues.
   *
   * @example
   * const cols = await ks.getColumns("AAPL", ["price"]); // { price: Float64Array [...] }
   */
  async getColumns(key: string, names?: readonly string[]): Promise<Record<string, ColumnArray> | undefined>;
  async getColumns(
    key: string,
    names: readonly string[] | undefined,
    options: GetColumnsOptions & { raw: true },
  ): Promise<Record<string, ColumnValues> | undefined>;
  async getColumns(
    key: string,
    names?: readonly string[],
    options: GetColumnsOptions = {},
  ): Promise<Record<string, ColumnArray | ColumnValues> | undefined> {
    this.check();
    const name = await this.resolve(key);
    if (name === undefined) return undefined;
    const fast = await this.backend.readColumns?.(name, names);
    if (fast !== NOT_FAST && this.backend.readColumns !== undefined) {
      if (fast === undefined) return undefined;
      if (options.raw === true) return fast;
      const out: Record<string, ColumnArray> = {};
      for (const [column, values] of Object.entries(fast)) out[column] = toColumnArray(values);
      return out;
    }
    for (let attempt = 0; ; attempt++) {
      const view = await this.backend.open(name, false);
      if (view === undefined) return undefined;
      try {
        const table = await CTable.open(view.store, { mode: "r", prefix: view.prefix });
        try {
          const out: Record<string, ColumnArray | ColumnValues> = {};
          for (const column of names ?? table.columnNames) {
            const values = await table.readColumn(column, 0, table.length);
            out[column] = options.raw === true ? values : toColumnArray(values);
          }
          return out;
        } finally {
          await table.close();
        }
      } catch (e) {
        if (!(await this.replacedSince(name, view, attempt))) throw e;
      } finally {
        await view.close();
      }
    }
  }

  /**
   * Stores `value` under `key`, replacing any old value atomically. `value` is columns
   * (`{ name: typed array | array }`), a schema array, a CTable (copied) or an apache-arrow Table.
   *
   * @example
   * await ks.set("AAPL", { price: new Float64Array([1, 2]) }, { cparams: { cname: "zstd", clevel: 5 } });
   */
  async set(key: string, value: KeyValue, options: ValueOptions = {}): Promise<void> {
    this.checkWritable("set");
    const name = encodeKey(key, this.backend.fanout);
    const settings: ValueOptions = { ...options, cparams: { ...this.defaults.cparams, ...options.cparams } };
    await this.serial(async () => {
      this.checkNotOpenForWriting(name, "set");
      if (name.hashed) await this.claimLongKey(name);
      await this.backend.write(name, (store, prefix) => writeValue(store, prefix, value, settings));
    });
  }

  /** @example await ks.has("AAPL") // true */
  async has(key: string): Promise<boolean> {
    this.check();
    const name = await this.resolve(key);
    return name !== undefined && (await this.backend.exists(name));
  }

  /**
   * Removes `key`; false when it did not exist.
   *
   * @example
   * await ks.delete("AAPL"); // true
   */
  async delete(key: string): Promise<boolean> {
    this.checkWritable("delete");
    const name = encodeKey(key, this.backend.fanout);
    return this.serial(async () => {
      this.checkNotOpenForWriting(name, "delete");
      if (name.hashed && !(await this.longKeyMatches(name))) return false;
      const removed = await this.backend.remove(name);
      if (name.hashed) await this.backend.removeLongKey(name);
      return removed;
    });
  }

  /**
   * Moves the value of `from` to `to` atomically (a crash leaves one or the other), replacing
   * `to` unless `overwrite` is false. ERR_NOT_FOUND when `from` does not exist.
   *
   * @example
   * await ks.rename("draft", "final");
   */
  async rename(from: string, to: string, options: RenameOptions = {}): Promise<void> {
    this.checkWritable("rename");
    const src = encodeKey(from, this.backend.fanout);
    const dst = encodeKey(to, this.backend.fanout);
    await this.serial(async () => {
      this.checkNotOpenForWriting(src, "rename");
      this.checkNotOpenForWriting(dst, "rename");
      const missing = () =>
        new ColzError("ERR_NOT_FOUND", `rename: no key ${JSON.stringify(from)} in ${this.description}`);
      if (src.hashed && !(await this.longKeyMatches(src))) throw missing();
      if (from === to) {
        if (!(await this.backend.exists(src))) throw missing();
        return;
      }
      if (options.overwrite === false && (await this.has(to))) {
        throw new ColzError("ERR_BAD_ARGUMENT", `rename: key ${JSON.stringify(to)} exists in ${this.description}`);
      }
      if (dst.hashed) await this.claimLongKey(dst);
      if (!(await this.backend.move(src, dst))) throw missing();
      if (src.hashed) await this.backend.removeLongKey(src);
    });
  }

  /**
   * Every key, streamed directory by directory: memory stays small and no value is opened
   * (long keys read their small `.key` file). Order: by fan-out directory, not sorted.
   *
   * @example
   * for await (const key of ks.keys()) console.log(key);
   */
  async *keys(): AsyncGenerator<string> {
    this.check();
    for await (const { bucket, stem } of this.backend.list()) {
      if (stem.startsWith("k")) {
        const key = decodeStem(stem);
        if (key !== undefined) yield key;
        continue;
      }
      const key = await this.backend.readLongKey(bucket, stem);
      if (key === undefined) continue;
      const name = encodeKey(key, this.backend.fanout);
      if (name.stem === stem && name.bucket === bucket) yield key;
    }
  }

  /**
   * `[key, table]` pairs; each table is opened when reached and closed when the loop moves on
   * (or stops), so copy what you need inside the loop body.
   *
   * @example
   * for await (const [key, table] of ks.entries()) console.log(key, table.length);
   */
  async *entries(): AsyncGenerator<[string, CTable]> {
    for await (const key of this.keys()) {
      const table = await this.get(key);
      if (table === undefined) continue; // deleted since it was listed
      try {
        yield [key, table];
      } finally {
        await table.close();
      }
    }
  }

  /** Tables, opened and closed one at a time as in `entries()`. @example for await (const t of ks.values()) ... */
  async *values(): AsyncGenerator<CTable> {
    for await (const [, table] of this.entries()) yield table;
  }

  /** Same as `entries()`. @example for await (const [key, table] of ks) ... */
  [Symbol.asyncIterator](): AsyncGenerator<[string, CTable]> {
    return this.entries();
  }

  /**
   * The number of keys. It walks every fan-out directory (no value is opened): O(number of
   * keys) directory entries, 2-3 s per million keys on a local SSD (long keys also read their
   * `.key` file).
   *
   * @example
   * await ks.size(); // 3
   */
  async size(): Promise<number> {
    let n = 0;
    for await (const _ of this.keys()) n++;
    return n;
  }

  /**
   * Closes every table still open from `get`, then releases the writer lock. Idempotent.
   *
   * @example
   * await ks.close();
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    for (const table of [...this.openTables]) await table.close().catch(() => undefined);
    await this.backend.close();
  }

  /** Names of `key` for reading, or undefined when it is a long key whose sidecar names another key. */
  private async resolve(key: string): Promise<EncodedKey | undefined> {
    const name = encodeKey(key, this.backend.fanout);
    return !name.hashed || (await this.longKeyMatches(name)) ? name : undefined;
  }

  private async longKeyMatches(name: EncodedKey): Promise<boolean> {
    return (await this.backend.readLongKey(name.bucket, name.stem)) === name.key;
  }

  /** Writes a long key's sidecar before its value; refuses a (never yet seen) SHA-256 collision. */
  private async claimLongKey(name: EncodedKey): Promise<void> {
    const recorded = await this.backend.readLongKey(name.bucket, name.stem);
    if (recorded === name.key) return;
    if (recorded !== undefined && (await this.backend.exists(name))) {
      throw new ColzError("ERR_BAD_KEY", `key ${JSON.stringify(name.key.slice(0, 80))}… collides with a stored key`);
    }
    await this.backend.writeLongKey(name);
  }

  /**
   * True when a read of `view` failed because a writer replaced the key and deleted the version
   * being read (dir layout): the caller then reads the new version.
   */
  private async replacedSince(name: EncodedKey, view: ValueView, attempt: number): Promise<boolean> {
    if (view.version === undefined || attempt >= READ_RETRIES) return false;
    return (await this.backend.version(name)) !== view.version;
  }

  /** Registers an open table so that close() reaches it, and wraps its close to release the view. */
  private track(name: EncodedKey, view: ValueView, table: CTable, writable: boolean): CTable {
    const close = table.close.bind(table);
    this.openTables.add(table);
    if (writable) this.writableStems.set(name.stem, (this.writableStems.get(name.stem) ?? 0) + 1);
    let done = false;
    table.close = async () => {
      if (done) return;
      done = true;
      this.openTables.delete(table);
      if (writable) {
        const n = (this.writableStems.get(name.stem) ?? 1) - 1;
        if (n === 0) this.writableStems.delete(name.stem);
        else this.writableStems.set(name.stem, n);
      }
      try {
        await close();
      } finally {
        await view.close();
      }
    };
    return table;
  }

  /** Runs writes one at a time (the pointer protocol's WAL holds one operation). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private check(): void {
    if (this.closed) throw new ColzError("ERR_CLOSED", `key store ${this.description} is closed`);
  }

  private checkWritable(op: string): void {
    this.check();
    if (this.backend.readOnly) {
      throw new ColzError("ERR_READ_ONLY", `${op}: key store ${this.description} was opened read-only (mode 'r')`);
    }
  }

  private checkNotOpenForWriting(name: EncodedKey, op: string): void {
    if (this.writableStems.has(name.stem)) {
      throw new ColzError(
        "ERR_LOCKED",
        `${op}: key ${JSON.stringify(name.key)} is open for writing; close that table first`,
      );
    }
  }
}
