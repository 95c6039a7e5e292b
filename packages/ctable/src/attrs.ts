import { encodeAttrs, type PyJsonValue, parseAttrs, type Store, writeAttrs } from "@colz/format";

/**
 * User attributes of a carray or ctable (its `__attrs__` file, a JSON object). Reads are
 * synchronous from memory; every change rewrites the file atomically and commits it, so
 * attributes are durable when the promise resolves. Values are what JSON (Python's dialect) can
 * hold; they come back as they would after reopening (integers beyond 2^53 as bigint).
 *
 * @example
 * await table.attrs.set("source", "zipline");
 * table.attrs.get("source"); // "zipline"
 */
export class Attrs {
  private values: { [key: string]: PyJsonValue };

  /** @internal */
  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    initial: { [key: string]: PyJsonValue },
    private readonly checkWritable: (op: string) => void,
  ) {
    this.values = { ...initial };
  }

  /** The value of `key`, or undefined. @example attrs.get("note") */
  get(key: string): PyJsonValue | undefined {
    return Object.hasOwn(this.values, key) ? this.values[key] : undefined;
  }

  /** @example attrs.has("note") */
  has(key: string): boolean {
    return Object.hasOwn(this.values, key);
  }

  /** @example attrs.keys() // ["note"] */
  keys(): string[] {
    return Object.keys(this.values);
  }

  /** A copy of every attribute. @example attrs.toJSON() // { note: "ctable vector" } */
  toJSON(): { [key: string]: PyJsonValue } {
    return { ...this.values };
  }

  /** Sets one attribute and persists. @example await attrs.set("rows", 10) */
  async set(key: string, value: unknown): Promise<void> {
    await this.replace({ ...this.values, [key]: value });
  }

  /** Sets several attributes and persists once. @example await attrs.update({ a: 1, b: "x" }) */
  async update(values: { readonly [key: string]: unknown }): Promise<void> {
    await this.replace({ ...this.values, ...values });
  }

  /** Removes one attribute and persists. @example await attrs.delete("rows") */
  async delete(key: string): Promise<void> {
    const next: { [key: string]: unknown } = { ...this.values };
    delete next[key];
    await this.replace(next);
  }

  /** Replaces every attribute and persists. @example await attrs.replace({}) */
  async replace(values: { readonly [key: string]: unknown }): Promise<void> {
    this.checkWritable("attrs.set");
    const key = `${this.prefix}__attrs__`;
    // Round-trip through the file format so memory holds exactly what a reopen would see.
    const normalised = parseAttrs(encodeAttrs(values), key);
    await writeAttrs(this.store, this.prefix, values);
    this.values = normalised;
  }

  /** Re-reads the file (after another writer changed it). @internal */
  reload(values: { [key: string]: PyJsonValue }): void {
    this.values = { ...values };
  }
}
