import { ColzError, type LockOptions, type Store, type WriterLock } from "@colz/format";

/**
 * A view of a Store that a KeyStore lends to a CTable: closing it does not close the store (other
 * tables share it), `lock()` is granted at once (the key store already holds the writer lock),
 * and a read-only view refuses writes even when the store allows them.
 *
 * @example
 * const view = new BorrowedStore(memoryStore, true);
 * const table = await CTable.open(view, { prefix: "5c/kfoo.v1/" });
 */
export class BorrowedStore implements Store {
  readonly description: string;
  readonly readOnly: boolean;
  private closed = false;

  constructor(
    private readonly inner: Store,
    readOnly: boolean,
  ) {
    this.description = inner.description;
    this.readOnly = readOnly || inner.readOnly;
    if (inner.getSync !== undefined) this.getSync = (key) => this.live().getSync?.(key);
  }

  getSync?(key: string): Uint8Array | undefined;

  get(key: string): Promise<Uint8Array | undefined> {
    return this.live().get(key);
  }

  getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    return this.live().getRange(key, offset, length);
  }

  size(key: string): Promise<number | undefined> {
    return this.live().size(key);
  }

  has(key: string): Promise<boolean> {
    return this.live().has(key);
  }

  set(key: string, value: Uint8Array): Promise<void> {
    return this.writable("set", key).set(key, value);
  }

  delete(key: string): Promise<void> {
    return this.writable("delete", key).delete(key);
  }

  list(prefix?: string): Promise<string[]> {
    return this.live().list(prefix);
  }

  async commit(): Promise<void> {
    if (!this.readOnly) await this.live().commit();
  }

  async lock(_options?: LockOptions): Promise<WriterLock> {
    this.writable("lock");
    return { release: async () => undefined };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private live(): Store {
    if (this.closed) throw new ColzError("ERR_CLOSED", `${this.description}: this table's store view is closed`);
    return this.inner;
  }

  private writable(op: string, key?: string): Store {
    const store = this.live();
    if (this.readOnly) {
      const what = key === undefined ? "" : ` ${JSON.stringify(key)}`;
      throw new ColzError("ERR_READ_ONLY", `${this.description}: ${op}${what} refused: opened read-only`);
    }
    return store;
  }
}
