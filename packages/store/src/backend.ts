import type { ColumnValues } from "@colz/ctable";
import type { Store } from "@colz/format";
import type { NOT_FAST } from "./fast-columns.js";
import type { EncodedKey } from "./key-codec.js";

// What KeyStore needs from where the values live. Three implementations: the zip layout and the
// dir layout on a local directory (node/), and the dir layout on any Store (store-backend.ts).
// Backends know stems and buckets; KeyStore owns keys, long-key sidecars and the public API.

/** An opened value: a ctable at `prefix` in `store`. */
export interface ValueView {
  readonly store: Store;
  readonly prefix: string;
  /**
   * The version that was opened (pointer layouts), or undefined when the view is a snapshot
   * that a concurrent replacement cannot disturb (a zip file held open).
   */
  readonly version: string | undefined;
  /** Closes what opening the view opened (never the backend's shared store). */
  close(): Promise<void>;
}

/** Builds a value's ctable at `prefix` of `store` (the backend publishes it afterwards). */
export type ValueBuilder = (store: Store, prefix: string) => Promise<void>;

/** A value entry found by listing: the key is `stem` decoded, or the long-key sidecar's content. */
export interface StemEntry {
  bucket: string;
  stem: string;
}

export interface KeyBackend {
  /** For messages: the path or the store's description. */
  readonly description: string;
  readonly readOnly: boolean;
  /** Hex digits of the bucket names. */
  readonly fanout: number;
  /** The current value, or undefined when there is none. Writable views modify it in place. */
  open(name: EncodedKey, writable: boolean): Promise<ValueView | undefined>;
  /**
   * Optional fast path of `getColumns`: whole columns of the current value read in one pass,
   * undefined when there is no value, NOT_FAST when the value must be read through CTable.
   */
  readColumns?(
    name: EncodedKey,
    names: readonly string[] | undefined,
  ): Promise<Record<string, ColumnValues> | undefined | typeof NOT_FAST>;
  /** True when a value exists under the stem. */
  exists(name: EncodedKey): Promise<boolean>;
  /** The current version (pointer layouts; undefined otherwise or when absent): tells a reader whether to retry. */
  version(name: EncodedKey): Promise<string | undefined>;
  /** Builds a new value and atomically replaces the current one (or creates it). */
  write(name: EncodedKey, build: ValueBuilder): Promise<void>;
  /** Removes the value; false when there was none. */
  remove(name: EncodedKey): Promise<boolean>;
  /** Moves the value atomically onto `to` (replacing it); false when `from` has none. */
  move(from: EncodedKey, to: EncodedKey): Promise<boolean>;
  /** Every value entry, streamed bucket by bucket, without opening any value. */
  list(): AsyncIterable<StemEntry>;
  /** A long key's sidecar content, or undefined. */
  readLongKey(bucket: string, stem: string): Promise<string | undefined>;
  /** Durably writes `name`'s sidecar (before its value is published). */
  writeLongKey(name: EncodedKey): Promise<void>;
  /** Removes `name`'s sidecar (after its value is gone). */
  removeLongKey(name: EncodedKey): Promise<void>;
  /** Releases the writer lock and everything open. Idempotent. */
  close(): Promise<void>;
}
