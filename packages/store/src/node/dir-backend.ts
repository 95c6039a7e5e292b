import * as fsp from "node:fs/promises";
import { ColzError, DirectoryStore, isColzError } from "@colz/format/node";
import type { KeyBackend, StemEntry, ValueBuilder, ValueView } from "../backend.js";
import type { EncodedKey } from "../key-codec.js";
import {
  encodePointer,
  encodeWal,
  LONG_KEY_SUFFIX,
  POINTER_SUFFIX,
  parsePointer,
  parseWal,
  WAL_NAME,
  type WalRecord,
} from "../layout-names.js";
import { deleteValue, moveValue, type PointerIo, pointerOf, recoverWal, replaceValue } from "../pointer-protocol.js";
import { type FsRoot, isMissingError } from "./fs-root.js";

/** How often `open` re-reads a pointer whose version vanished under it (a writer replaced the key). */
const OPEN_RETRIES = 8;

/**
 * The dir layout: each key's value is a bcolz ctable directory "<bucket>/<stem>.v<token>/" that
 * never changes once written, and "<bucket>/<stem>.ptr" names the current one (see
 * pointer-protocol.ts). Publishing a value replaces the pointer file (temp, fsync, rename,
 * fsync): the commit point. A rename is one rename(2) of the pointer file. bcolz opens any
 * version directory as it is.
 *
 * Readers resolve the pointer once per open, then read only that version. A writer deletes the
 * old version right after publishing the new one, so a table from `get()` held across a
 * replacement can fail with ERR_NOT_FOUND/ERR_CORRUPT_CHUNK (getColumns retries by itself);
 * the zip layout does not have this limit.
 */
export class DirBackend implements KeyBackend, PointerIo {
  private constructor(private readonly fs: FsRoot) {}

  /** Wraps an opened root; a writer first finishes what a crashed writer left in the WAL. */
  static async create(fs: FsRoot): Promise<DirBackend> {
    const backend = new DirBackend(fs);
    if (!fs.readOnly) await recoverWal(backend);
    return backend;
  }

  get description(): string {
    return this.fs.root;
  }

  get readOnly(): boolean {
    return this.fs.readOnly;
  }

  get fanout(): number {
    return this.fs.fanout;
  }

  async open(name: EncodedKey, writable: boolean): Promise<ValueView | undefined> {
    for (let attempt = 0; ; attempt++) {
      const version = await this.readPointer(pointerOf(name));
      if (version === undefined) return undefined;
      try {
        const store = await DirectoryStore.open(this.fs.abs(version), {
          mode: writable ? "a" : "r",
          create: false,
          sync: this.fs.sync,
        });
        return { store, prefix: "", version, close: () => store.close() };
      } catch (e) {
        if (!isColzError(e, "ERR_NOT_FOUND") || attempt >= OPEN_RETRIES) throw e;
        // The version was replaced and deleted between reading the pointer and opening it.
      }
    }
  }

  async exists(name: EncodedKey): Promise<boolean> {
    try {
      return (await fsp.stat(this.fs.abs(`${pointerOf(name)}${POINTER_SUFFIX}`))).isFile();
    } catch (e) {
      if (isMissingError(e)) return false;
      throw new ColzError("ERR_IO", `cannot stat the pointer of ${pointerOf(name)}`, { cause: e });
    }
  }

  version(name: EncodedKey): Promise<string | undefined> {
    return this.readPointer(pointerOf(name));
  }

  async write(name: EncodedKey, build: ValueBuilder): Promise<void> {
    await this.fs.ensureBucket(name.bucket);
    await replaceValue(this, name, async (version) => {
      const store = await DirectoryStore.open(this.fs.abs(version), { mode: "w", sync: this.fs.sync });
      try {
        await build(store, "");
        await store.commit();
      } finally {
        await store.close();
      }
    });
  }

  remove(name: EncodedKey): Promise<boolean> {
    return deleteValue(this, name);
  }

  async move(from: EncodedKey, to: EncodedKey): Promise<boolean> {
    await this.fs.ensureBucket(to.bucket);
    return moveValue(this, from, to);
  }

  list(): AsyncIterable<StemEntry> {
    return this.fs.list("ptr");
  }

  readLongKey(bucket: string, stem: string): Promise<string | undefined> {
    return this.fs.readLongKey(bucket, stem);
  }

  async writeLongKey(name: EncodedKey): Promise<void> {
    await this.fs.ensureBucket(name.bucket);
    await this.fs.writeFileAtomic(`${pointerOf(name)}${LONG_KEY_SUFFIX}`, new TextEncoder().encode(name.key));
  }

  async removeLongKey(name: EncodedKey): Promise<void> {
    await fsp.rm(this.fs.abs(`${pointerOf(name)}${LONG_KEY_SUFFIX}`), { force: true });
  }

  close(): Promise<void> {
    return this.fs.close();
  }

  // PointerIo

  async readPointer(pointer: string): Promise<string | undefined> {
    const rel = `${pointer}${POINTER_SUFFIX}`;
    const bytes = await this.fs.readFile(rel);
    return bytes === undefined ? undefined : parsePointer(bytes, this.fs.abs(rel));
  }

  publishPointer(pointer: string, version: string): Promise<void> {
    return this.fs.writeFileAtomic(`${pointer}${POINTER_SUFFIX}`, encodePointer(version));
  }

  async movePointer(from: string, to: string): Promise<void> {
    const src = this.fs.abs(`${from}${POINTER_SUFFIX}`);
    const dst = this.fs.abs(`${to}${POINTER_SUFFIX}`);
    try {
      await fsp.rename(src, dst); // one atomic step, replacing `to`
    } catch (e) {
      throw new ColzError("ERR_IO", `cannot rename ${src} to ${dst}`, { cause: e });
    }
    await this.fs.fsyncDir(this.fs.abs(to.slice(0, to.indexOf("/"))));
    await this.fs.fsyncDir(this.fs.abs(from.slice(0, from.indexOf("/"))));
  }

  async deletePointer(pointer: string): Promise<void> {
    await fsp.rm(this.fs.abs(`${pointer}${POINTER_SUFFIX}`), { force: true });
    await this.fs.fsyncDir(this.fs.abs(pointer.slice(0, pointer.indexOf("/"))));
  }

  async removeVersion(version: string): Promise<void> {
    // `version` passed parsePointer/newVersionName: "<hex>/<stem>.v<token>", inside the root.
    await fsp.rm(this.fs.abs(version), { recursive: true, force: true });
  }

  async writeWal(record: WalRecord): Promise<void> {
    // Overwritten in place (one fsync): a torn record parses as nothing, and an operation
    // starts only once its record is durable, so a torn record never belongs to a started one.
    const fh = await fsp.open(this.fs.abs(WAL_NAME), "w", 0o644);
    try {
      await fh.writeFile(encodeWal(record));
      if (this.fs.sync) await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async readWal(): Promise<WalRecord | undefined> {
    return parseWal(await this.fs.readFile(WAL_NAME));
  }
}
