import type { CParamsInput } from "@colz/ctable";
import { ColzError, type Store } from "@colz/format";
import type { KeyBackend } from "./backend.js";
import type { LayoutName } from "./layout-names.js";
import { StoreBackend } from "./store-backend.js";

/** Options of `KeyStore.open`. */
export interface KeyStoreOptions {
  /** 'r' read-only, no lock; 'a' read/write, created when missing (default); 'w' emptied at open. */
  mode?: "r" | "a" | "w";
  /** Layout of a new store (default "zip"; path-based stores only). An existing store keeps its own. */
  layout?: LayoutName;
  /** Default compression for `set` (per-set `cparams` override it). */
  cparams?: CParamsInput;
  /** Milliseconds to wait for another writer's lock before ERR_LOCKED (default 0). */
  waitMs?: number;
  /** fsync files and directories (default true). false is for scratch data: faster, not crash-safe. */
  sync?: boolean;
  /** Fan-out of a new store: 1, 2 (default) or 3 hex digits, i.e. 16, 256 or 4096 directories. */
  fanout?: number;
}

/** Options of `get`. */
export interface GetOptions {
  /** Open the table for appending in place (writer stores only). Close it before set/delete/rename of its key. */
  writable?: boolean;
}

/** Options of `getColumns`. */
export interface GetColumnsOptions {
  /** Return ColumnValues (dtype, validity, offsets) instead of plain arrays. */
  raw?: boolean;
}

/** Options of `rename`. */
export interface RenameOptions {
  /** Replace an existing `to` (default true, like a file rename); false makes that ERR_BAD_ARGUMENT. */
  overwrite?: boolean;
}

/**
 * The backend of a key store kept in a Store (dir layout under key prefixes).
 *
 * @example
 * const backend = await openStoreBackend(new MemoryStore(), { mode: "a" });
 */
export async function openStoreBackend(store: Store, options: KeyStoreOptions): Promise<KeyBackend> {
  if (typeof store === "string") {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      'KeyStore.open(path) needs Node: import { KeyStore } from "@colz/store/node"',
    );
  }
  if (options.layout === "zip") {
    throw new ColzError("ERR_UNSUPPORTED", 'the zip layout needs a path: import { KeyStore } from "@colz/store/node"');
  }
  return StoreBackend.open(store, { mode: checkMode(options.mode), fanout: options.fanout, waitMs: options.waitMs });
}

/** Validates a mode argument (ERR_BAD_ARGUMENT). */
export function checkMode(mode: unknown): "r" | "a" | "w" {
  if (mode === undefined) return "a";
  if (mode === "r" || mode === "a" || mode === "w") return mode;
  throw new ColzError("ERR_BAD_ARGUMENT", `unknown key store mode ${JSON.stringify(mode)}`);
}
