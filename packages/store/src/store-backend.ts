import { ColzError, type Store, type WriterLock } from "@colz/format";
import type { KeyBackend, StemEntry, ValueBuilder, ValueView } from "./backend.js";
import { BorrowedStore } from "./borrowed-store.js";
import type { EncodedKey } from "./key-codec.js";
import {
  DEFAULT_FANOUT,
  encodeMarker,
  encodePointer,
  encodeWal,
  isFanout,
  KEYSTORE_FORMAT_VERSION,
  LONG_KEY_SUFFIX,
  MARKER_NAME,
  POINTER_SUFFIX,
  parseEntryName,
  parseMarker,
  parsePointer,
  parseWal,
  WAL_NAME,
  type WalRecord,
} from "./layout-names.js";
import { deleteValue, moveValue, type PointerIo, pointerOf, recoverWal, replaceValue } from "./pointer-protocol.js";

export interface StoreBackendOptions {
  mode: "r" | "a" | "w";
  fanout?: number;
  waitMs?: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The dir layout on any Store (MemoryStore, DirectoryStore, ZipStore, HttpStore for reading):
 * pointer keys "<bucket>/<stem>.ptr", versions as ctables under "<bucket>/<stem>.v…/". On a
 * DirectoryStore it is byte-for-byte the local dir layout, so either backend opens the other's
 * stores. Guarantees are the Store's: every `set` is atomic and `commit()` makes it durable;
 * a rename is two steps (new pointer, then delete the old one), so a concurrent reader may see
 * both keys for a moment (a crash in between is finished by the next writer). Listing calls
 * `store.list()` once per `keys()` (all keys of the store): fine for memory and small stores;
 * large local stores should use the path-based backends.
 */
export class StoreBackend implements KeyBackend, PointerIo {
  readonly description: string;
  readonly readOnly: boolean;

  private constructor(
    private readonly store: Store,
    readonly fanout: number,
    private readonly writerLock: WriterLock | undefined,
  ) {
    this.description = store.description;
    this.readOnly = writerLock === undefined;
  }

  /**
   * Opens (mode 'a'/'w': creates, locks and recovers) the key store kept in `store`.
   *
   * @example
   * const backend = await StoreBackend.open(new MemoryStore(), { mode: "a" });
   */
  static async open(store: Store, options: StoreBackendOptions): Promise<StoreBackend> {
    const { mode } = options;
    if (options.fanout !== undefined && !isFanout(options.fanout)) {
      throw new ColzError("ERR_BAD_ARGUMENT", `fanout must be 1, 2 or 3 (hex digits), got ${options.fanout}`);
    }
    const markerBytes = await store.get(MARKER_NAME);
    if (mode === "r") {
      if (markerBytes === undefined) throw new ColzError("ERR_NOT_FOUND", `no key store in ${store.description}`);
      const marker = parseMarker(markerBytes, store.description);
      checkDirLayout(marker.layout, store.description);
      return new StoreBackend(store, marker.fanout, undefined);
    }
    if (store.readOnly)
      throw new ColzError("ERR_READ_ONLY", `${store.description} is read-only: open the key store with mode 'r'`);
    const lock = await store.lock({ waitMs: options.waitMs });
    try {
      let fanout = options.fanout ?? DEFAULT_FANOUT;
      if (markerBytes !== undefined) {
        const marker = parseMarker(markerBytes, store.description);
        checkDirLayout(marker.layout, store.description);
        if (mode === "a") fanout = marker.fanout;
      }
      // Listing everything only happens when creating or emptying the key store.
      const existing = markerBytes === undefined || mode === "w" ? await store.list() : [];
      if (markerBytes === undefined && existing.length > 0) {
        throw new ColzError("ERR_NOT_A_CONTAINER", `${store.description} holds data but is not a key store`);
      }
      if (mode === "w") for (const key of existing) await store.delete(key);
      if (mode === "w" || markerBytes === undefined) {
        await store.set(
          MARKER_NAME,
          encodeMarker({ format: "colz-keystore", version: KEYSTORE_FORMAT_VERSION, layout: "dir", fanout }),
        );
        await store.commit();
      }
      const backend = new StoreBackend(store, fanout, lock);
      await recoverWal(backend);
      return backend;
    } catch (e) {
      await lock.release().catch(() => undefined);
      throw e;
    }
  }

  async open(name: EncodedKey, writable: boolean): Promise<ValueView | undefined> {
    const version = await this.readPointer(pointerOf(name));
    if (version === undefined) return undefined;
    const view = new BorrowedStore(this.store, !writable);
    return { store: view, prefix: `${version}/`, version, close: () => view.close() };
  }

  async exists(name: EncodedKey): Promise<boolean> {
    return this.store.has(`${pointerOf(name)}${POINTER_SUFFIX}`);
  }

  version(name: EncodedKey): Promise<string | undefined> {
    return this.readPointer(pointerOf(name));
  }

  async write(name: EncodedKey, build: ValueBuilder): Promise<void> {
    await replaceValue(this, name, async (version) => {
      await build(new BorrowedStore(this.store, false), `${version}/`);
      await this.store.commit();
    });
  }

  remove(name: EncodedKey): Promise<boolean> {
    return deleteValue(this, name);
  }

  move(from: EncodedKey, to: EncodedKey): Promise<boolean> {
    return moveValue(this, from, to);
  }

  async *list(): AsyncIterable<StemEntry> {
    const bucketRe = new RegExp(`^[0-9a-f]{${this.fanout}}$`);
    for (const key of await this.store.list()) {
      const slash = key.indexOf("/");
      if (slash < 0 || key.indexOf("/", slash + 1) >= 0) continue;
      const bucket = key.slice(0, slash);
      const entry = parseEntryName(key.slice(slash + 1));
      if (entry?.kind === "ptr" && bucketRe.test(bucket)) yield { bucket, stem: entry.stem };
    }
  }

  async readLongKey(bucket: string, stem: string): Promise<string | undefined> {
    const bytes = await this.store.get(`${bucket}/${stem}${LONG_KEY_SUFFIX}`);
    if (bytes === undefined) return undefined;
    try {
      return utf8.decode(bytes);
    } catch {
      return undefined;
    }
  }

  async writeLongKey(name: EncodedKey): Promise<void> {
    await this.store.set(`${pointerOf(name)}${LONG_KEY_SUFFIX}`, new TextEncoder().encode(name.key));
    await this.store.commit();
  }

  async removeLongKey(name: EncodedKey): Promise<void> {
    await this.store.delete(`${pointerOf(name)}${LONG_KEY_SUFFIX}`);
    await this.store.commit();
  }

  async close(): Promise<void> {
    await this.writerLock?.release();
  }

  // PointerIo: every change is committed before the next step relies on it.

  async readPointer(pointer: string): Promise<string | undefined> {
    const key = `${pointer}${POINTER_SUFFIX}`;
    const bytes = await this.store.get(key);
    return bytes === undefined ? undefined : parsePointer(bytes, `${this.store.description}: ${key}`);
  }

  async publishPointer(pointer: string, version: string): Promise<void> {
    await this.store.set(`${pointer}${POINTER_SUFFIX}`, encodePointer(version));
    await this.store.commit();
  }

  async movePointer(from: string, to: string): Promise<void> {
    const version = await this.readPointer(from);
    if (version === undefined) return;
    await this.publishPointer(to, version);
    await this.deletePointer(from);
  }

  async deletePointer(pointer: string): Promise<void> {
    await this.store.delete(`${pointer}${POINTER_SUFFIX}`);
    await this.store.commit();
  }

  async removeVersion(version: string): Promise<void> {
    for (const key of await this.store.list(`${version}/`)) await this.store.delete(key);
    await this.store.commit();
  }

  async writeWal(record: WalRecord): Promise<void> {
    await this.store.set(WAL_NAME, encodeWal(record));
    await this.store.commit();
  }

  async readWal(): Promise<WalRecord | undefined> {
    return parseWal(await this.store.get(WAL_NAME));
  }
}

function checkDirLayout(layout: string, where: string): void {
  if (layout !== "dir") {
    throw new ColzError(
      "ERR_UNSUPPORTED",
      `${where}: a '${layout}'-layout key store opens only from a path (import KeyStore from "@colz/store/node")`,
    );
  }
}
