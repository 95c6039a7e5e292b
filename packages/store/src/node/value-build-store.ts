import {
  ColzError,
  InProcessLock,
  type LockOptions,
  normalizePrefix,
  type Store,
  sortKeys,
  validateKey,
  type WriterLock,
} from "@colz/format";

/**
 * The Store a zip-layout `set` builds its table in, before the whole value is encoded as one
 * archive and written with one write. Like MemoryStore, but `set` keeps the buffer it is given
 * instead of copying it: only colz's table writers write here, and they hand over buffers they
 * made for the purpose (encoded chunk files, metadata) and never touch again. Reads return
 * copies, so a reader cannot change what will be written. `commit()` does nothing: nobody else
 * sees this store, and the file is made durable when it is written.
 *
 * @example
 * const build = new ValueBuildStore("/data/ks/5c/kfoo.zip");
 * await CTable.create(build, { price: new Float64Array([1, 2]) });
 * for (const [name, bytes] of build.members()) ...
 */
export class ValueBuildStore implements Store {
  readonly readOnly = false;
  private readonly map = new Map<string, Uint8Array>();
  private readonly writer: InProcessLock;
  private closed = false;

  constructor(readonly description: string) {
    this.writer = new InProcessLock(description);
  }

  /** Every key and its bytes (not copies), in ascending key order: the archive's member order. */
  members(): { name: string; bytes: Uint8Array }[] {
    return sortKeys([...this.map.keys()]).map((name) => ({ name, bytes: this.map.get(name) as Uint8Array }));
  }

  getSync(key: string): Uint8Array | undefined {
    this.check(key);
    return this.map.get(key)?.slice();
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.getSync(key);
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    this.check(key);
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    const start = Math.min(offset, v.length);
    return v.slice(start, start + Math.min(length, v.length - start));
  }

  async size(key: string): Promise<number | undefined> {
    this.check(key);
    return this.map.get(key)?.length;
  }

  async has(key: string): Promise<boolean> {
    this.check(key);
    return this.map.has(key);
  }

  /** Keeps `value` itself (see the class comment). */
  async set(key: string, value: Uint8Array): Promise<void> {
    this.check(key);
    if (!(value instanceof Uint8Array))
      throw new ColzError("ERR_BAD_ARGUMENT", `set(${key}): value must be a Uint8Array`);
    this.map.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.check(key);
    this.map.delete(key);
  }

  async list(prefix?: string): Promise<string[]> {
    const p = normalizePrefix(prefix);
    return sortKeys([...this.map.keys()].filter((k) => k.startsWith(p)));
  }

  async commit(): Promise<void> {}

  lock(options?: LockOptions): Promise<WriterLock> {
    return this.writer.acquire(options);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.writer.reset();
  }

  private check(key: string): void {
    if (this.closed) throw new ColzError("ERR_CLOSED", `store ${this.description} is closed`);
    validateKey(key, this.description);
  }
}
