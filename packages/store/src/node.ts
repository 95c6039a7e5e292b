import type { Store } from "@colz/format";
import type { KeyBackend } from "./backend.js";
import { KeyStore as BaseKeyStore } from "./key-store.js";
import { checkMode, type KeyStoreOptions, openStoreBackend } from "./key-store-options.js";
import { DirBackend } from "./node/dir-backend.js";
import { FsRoot } from "./node/fs-root.js";
import { ZipBackend } from "./node/zip-backend.js";

export * from "./index.js";

/**
 * KeyStore with local paths: `KeyStore.open("/data/prices", { mode: "a" })` keeps one file per
 * key (zip layout, the default) or one bcolz directory per key (layout "dir") under that
 * directory. Passing a Store works as in `@colz/store`.
 *
 * @example
 * import { KeyStore } from "@colz/store/node";
 * const ks = await KeyStore.open("/data/prices", { mode: "a" });
 * await ks.set("AAPL", { close: new Float64Array([187.2, 189.9]) });
 * await ks.close();
 */
export class KeyStore extends BaseKeyStore {
  /**
   * Opens the key store at `target` (a directory path, or a Store). Mode 'a' (default) creates
   * it with `layout` (default "zip"); an existing store keeps its layout. ERR_NOT_FOUND (mode 'r',
   * nothing there), ERR_LOCKED (another live writer), ERR_NOT_A_CONTAINER (a non-empty directory
   * that is not a key store).
   *
   * @example
   * const reader = await KeyStore.open("/data/prices", { mode: "r" });
   */
  static override async open(target: string | Store, options: KeyStoreOptions = {}): Promise<KeyStore> {
    const defaults = { cparams: options.cparams };
    if (typeof target !== "string") return new KeyStore(await openStoreBackend(target, options), defaults);
    const fs = await FsRoot.open(target, {
      mode: checkMode(options.mode),
      layout: options.layout,
      fanout: options.fanout,
      waitMs: options.waitMs,
      sync: options.sync ?? true,
    });
    let backend: KeyBackend;
    try {
      backend = fs.marker.layout === "zip" ? new ZipBackend(fs) : await DirBackend.create(fs);
    } catch (e) {
      await fs.close().catch(() => undefined);
      throw e;
    }
    return new KeyStore(backend, defaults);
  }
}
