import type { FileHandle } from "node:fs/promises";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { crc32 as zlibCrc32 } from "node:zlib";
import { ColzError } from "../errors.js";
import { fsyncDir, writeAllAt } from "./file-io.js";
import { closedError, ioError, readOnlyError, SerialQueue } from "./guards.js";
import { InProcessLock } from "./in-process-lock.js";
import { normalizePrefix, sortKeys, validateKey, validateRange, validateValue } from "./keys.js";
import { FileLock } from "./lock.js";
import { isMissing } from "./safe-path.js";
import type { LockOptions, Store, WriterLock } from "./types.js";
import { findLastCommit } from "./zip-directory.js";
import { fileSource, openArchive, readerOf, removeStaleTemps, tempPath, writeEmptyArchive } from "./zip-file.js";
import {
  encodeCentralHeader,
  encodeEnd,
  encodeLocalHeader,
  FLAG_DATA_DESCRIPTOR,
  METHOD_STORED,
  newEntry,
  type ZipEntry,
} from "./zip-format.js";
import { locateData, readMember } from "./zip-member.js";

/** Compaction copies member data in pieces of at most this size. */
const COPY_CHUNK = 8 << 20;

export interface ZipStoreOptions {
  /** 'r' read-only (default); 'a' read/write; 'w' read/write, emptied at open. */
  mode?: "r" | "a" | "w";
  /** Create the file when missing (default true for 'a' and 'w'; 'r' never creates). */
  create?: boolean;
  /** Milliseconds to wait for another writer's lock (default 0: fail at once with ERR_LOCKED). */
  waitMs?: number;
  /** fsync at commit (default true). false is for scratch data: faster, not crash-safe. */
  sync?: boolean;
}

/**
 * A Store in ONE file: a standard ZIP archive whose members are STORED (method 0), so that
 * `unzip -l` / `unzip -t` accept it and every member is a contiguous, range-readable byte run.
 * Names are UTF-8 (flag bit 11), each member carries its CRC-32; ZIP64 records are written when
 * the archive passes 65534 entries or 4 GiB, and read whenever present.
 *
 * Writes are an append-only log. `set` appends a local header and the data after the end of
 * the last commit; it is visible to this store object at once and to nobody else. `commit()`
 * fsyncs those members, then appends a new central directory (CD) and end-of-central-directory
 * record (EOCD) listing the current keys and fsyncs again: that write is the commit point. The
 * old CD and overwritten or deleted members stay in the file as garbage until `compact()`.
 * Each commit writes the whole CD (~50 bytes + key length per key).
 *
 * Crashes. Opening finds the last EOCD whose CD is complete and consistent (see
 * findLastCommit), so after a crash readers see exactly the last committed state: uncommitted
 * sets and deletes are gone, and so are they after a clean close without commit. The torn tail
 * behind that EOCD (partial members, a partial CD) is ignored by readers and truncated by the
 * next writer before it appends.
 *
 * Writers. Opening with 'a' or 'w' takes the lock file `<file>.lock` and holds it until
 * close(); 'w' atomically replaces the file with an empty archive at open (refusing a file that
 * is not a ZIP archive). Readers ('r') see the snapshot of the moment they opened.
 *
 * @example
 * const store = await ZipStore.open("/data/t.zip", { mode: "a" });
 * await store.set("data/__0.blp", chunk); await store.set("meta/sizes", sizes);
 * await store.commit(); // both visible to new readers, atomically
 * await store.close();
 */
export class ZipStore implements Store {
  readonly readOnly: boolean;
  private readonly queue = new SerialQueue();
  private readonly writer: InProcessLock;
  /** Handles replaced by compact(); readers may still be using them, so they close with the store. */
  private readonly retired: FileHandle[] = [];
  private readonly cdCache = new WeakMap<ZipEntry, Uint8Array>();
  private sortedKeys: string[] | undefined;
  private closed = false;
  private dirty = false;

  private constructor(
    readonly description: string,
    private fh: FileHandle,
    private entries: Map<string, ZipEntry>,
    /** Where the next member goes: the end of the last commit plus members appended since. */
    private appendPos: number,
    private committedEnd: number,
    private readonly fileLock: FileLock | undefined,
    private readonly sync: boolean,
  ) {
    this.readOnly = fileLock === undefined;
    this.writer = new InProcessLock(description);
  }

  /**
   * Opens the ZIP store at `file`. ERR_NOT_FOUND when missing in mode 'r', ERR_NOT_A_CONTAINER
   * or ERR_CORRUPT_META when the file is not a readable ZIP archive, ERR_LOCKED for a second writer.
   *
   * @example
   * const reader = await ZipStore.open("/data/t.zip"); // mode 'r'
   */
  static async open(file: string, options: ZipStoreOptions = {}): Promise<ZipStore> {
    const mode = options.mode ?? "r";
    if (mode !== "r" && mode !== "a" && mode !== "w") {
      throw new ColzError("ERR_BAD_ARGUMENT", `ZipStore.open(${file}): unknown mode ${JSON.stringify(mode)}`);
    }
    const abs = path.resolve(file);
    const sync = options.sync ?? true;
    if (mode === "r") {
      const fh = await openArchive(abs, "r");
      return ZipStore.load(abs, fh, undefined, sync);
    }
    const lock = await FileLock.acquire(`${abs}.lock`, { waitMs: options.waitMs, description: `zip store ${abs}` });
    try {
      await removeStaleTemps(abs);
      const st = await fsp
        .stat(abs)
        .catch((e: unknown) => (isMissing(e) ? undefined : Promise.reject(ioError(e, abs))));
      if (st?.isDirectory()) throw new ColzError("ERR_NOT_A_CONTAINER", `${abs} is a directory, not a zip store`);
      if (st === undefined && options.create === false) throw new ColzError("ERR_NOT_FOUND", `no zip store at ${abs}`);
      if (st !== undefined && st.size > 0 && mode === "w") {
        const check = await openArchive(abs, "r");
        try {
          await findLastCommit(fileSource(check, st.size, abs)); // refuse to destroy a file that is not ours
        } finally {
          await check.close();
        }
      }
      if (st === undefined || st.size === 0 || mode === "w") await writeEmptyArchive(abs, sync);
      const fh = await openArchive(abs, "r+");
      return await ZipStore.load(abs, fh, lock, sync);
    } catch (e) {
      await lock.release().catch(() => undefined);
      throw e;
    }
  }

  private static async load(abs: string, fh: FileHandle, lock: FileLock | undefined, sync: boolean): Promise<ZipStore> {
    try {
      const size = (await fh.stat()).size;
      const commit = await findLastCommit(fileSource(fh, size, abs));
      if (lock !== undefined && size > commit.end) {
        // A torn tail from a crashed writer: drop it so that new members follow the last commit.
        await fh.truncate(commit.end);
        if (sync) await fh.sync();
      }
      return new ZipStore(abs, fh, commit.entries, commit.end, commit.end, lock, sync);
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw ioError(e, `cannot open zip store ${abs}`);
    }
  }

  /** Bytes of the file that belong to the last commit (what a reopen would see). @example store.committedLength */
  get committedLength(): number {
    return this.committedEnd;
  }

  /** The whole value, CRC-checked. @example await store.get("meta/sizes") */
  async get(key: string): Promise<Uint8Array | undefined> {
    this.check("get", key);
    const { fh, entry } = this.snapshot(key);
    if (entry === undefined) return undefined;
    return readMember(readerOf(fh, this.description), entry, this.description, zlibCrc32);
  }

  /** @example await store.getRange("data/__0.blp", 0, 16) */
  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    this.check("getRange", key);
    validateRange(key, offset, length);
    const { fh, entry } = this.snapshot(key);
    if (entry === undefined) return undefined;
    return readMember(readerOf(fh, this.description), entry, this.description, zlibCrc32, { start: offset, length });
  }

  /** @example await store.size("meta/sizes") */
  async size(key: string): Promise<number | undefined> {
    this.check("size", key);
    return this.entries.get(key)?.size;
  }

  /** @example await store.has("meta/sizes") */
  async has(key: string): Promise<boolean> {
    this.check("has", key);
    return this.entries.has(key);
  }

  /** Appends a member; visible here at once, to other readers after commit(). @example await store.set(k, v) */
  async set(key: string, value: Uint8Array): Promise<void> {
    this.checkWrite("set", key);
    validateValue(key, value);
    const crc = zlibCrc32(value);
    await this.queue.run(async () => {
      this.checkWrite("set", key);
      const entry = newEntry(key, value.length, crc, this.appendPos, new Date());
      try {
        await writeAllAt(this.fh, [encodeLocalHeader(entry), value], entry.localOffset);
      } catch (e) {
        throw ioError(e, `cannot append ${JSON.stringify(key)} to ${this.description} at offset ${entry.localOffset}`);
      }
      this.appendPos = (entry.dataOffset as number) + value.length;
      this.replace(key, entry);
    });
  }

  /** Drops the key from the next central directory. @example await store.delete("data/__3.blp") */
  async delete(key: string): Promise<void> {
    this.checkWrite("delete", key);
    await this.queue.run(async () => {
      this.checkWrite("delete", key);
      if (this.entries.has(key)) this.replace(key, undefined);
    });
  }

  /** @example await store.list("meta/") */
  async list(prefix?: string): Promise<string[]> {
    if (this.closed) throw closedError(this.description, "list");
    const p = normalizePrefix(prefix);
    this.sortedKeys ??= sortKeys([...this.entries.keys()]);
    return p === "" ? [...this.sortedKeys] : this.sortedKeys.filter((k) => k.startsWith(p));
  }

  /** Appends a new central directory: the commit point. A no-op when nothing changed. @example await store.commit() */
  async commit(): Promise<void> {
    if (this.closed) throw closedError(this.description, "commit");
    if (this.readOnly) return;
    await this.queue.run(() => this.commitNow());
  }

  /**
   * Commits, then rewrites the live members into a temp file beside the archive (CRC-checked),
   * fsyncs it and renames it over the archive, dropping old central directories and dead
   * members. Readers that opened before keep reading the old file.
   *
   * @example
   * await store.compact();
   */
  async compact(): Promise<void> {
    if (this.closed) throw closedError(this.description, "compact");
    if (this.readOnly) throw readOnlyError(this.description, "compact");
    await this.queue.run(async () => {
      await this.commitNow();
      const temp = tempPath(this.description);
      const out = await fsp.open(temp, "wx", 0o644).catch((e: unknown) => Promise.reject(ioError(e, temp)));
      const fresh = new Map<string, ZipEntry>();
      let pos = 0;
      try {
        for (const key of sortKeys([...this.entries.keys()])) {
          const old = this.entries.get(key) as ZipEntry;
          const flags = old.flags & ~FLAG_DATA_DESCRIPTOR; // the new local header carries sizes and CRC
          const entry: ZipEntry = { ...old, flags, localOffset: pos, limit: Number.MAX_SAFE_INTEGER };
          const header = encodeLocalHeader(entry);
          await writeAllAt(out, [header], pos);
          entry.dataOffset = pos + header.length;
          await this.copyMember(old, out, entry.dataOffset);
          pos = entry.dataOffset + entry.compressedSize;
          fresh.set(key, entry);
        }
        const end = await this.writeDirectory(out, fresh, pos);
        if (this.sync) await out.sync();
        await out.close();
        await fsp.rename(temp, this.description);
        if (this.sync) await fsyncDir(path.dirname(this.description));
        this.retired.push(this.fh);
        this.fh = await openArchive(this.description, "r+");
        this.entries = fresh;
        this.appendPos = this.committedEnd = end;
      } catch (e) {
        await out.close().catch(() => undefined);
        await fsp.unlink(temp).catch(() => undefined);
        throw ioError(e, `compaction of ${this.description} failed`);
      }
    });
  }

  /** Grants this store object to one holder at a time (the lock file is already held). @example await store.lock() */
  async lock(options?: LockOptions): Promise<WriterLock> {
    if (this.closed) throw closedError(this.description, "lock");
    if (this.readOnly) throw readOnlyError(this.description, "lock");
    return this.writer.acquire(options);
  }

  /** Closes the file and releases the lock; uncommitted sets are lost. Idempotent. @example await store.close() */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.run(async () => undefined);
    this.writer.reset();
    for (const fh of [this.fh, ...this.retired]) await fh.close().catch(() => undefined);
    await this.fileLock?.release();
  }

  private async commitNow(): Promise<void> {
    if (!this.dirty) return;
    try {
      // Members must be on disk before a central directory that points at them.
      if (this.sync) await this.fh.sync();
      const end = await this.writeDirectory(this.fh, this.entries, this.appendPos);
      if (this.sync) await this.fh.sync();
      this.appendPos = this.committedEnd = end;
      this.dirty = false;
    } catch (e) {
      throw ioError(e, `commit of ${this.description} failed at offset ${this.appendPos}`);
    }
  }

  /** Writes CD + EOCD for `entries` at `cdOffset`; returns the end offset. */
  private async writeDirectory(fh: FileHandle, entries: Map<string, ZipEntry>, cdOffset: number): Promise<number> {
    const parts: Uint8Array[] = [];
    let cdSize = 0;
    for (const e of entries.values()) {
      let bytes = this.cdCache.get(e);
      if (bytes === undefined) {
        bytes = encodeCentralHeader(e);
        this.cdCache.set(e, bytes);
      }
      parts.push(bytes);
      cdSize += bytes.length;
    }
    const tail = encodeEnd(entries.size, cdOffset, cdSize);
    parts.push(tail);
    await writeAllAt(fh, parts, cdOffset);
    return cdOffset + cdSize + tail.length;
  }

  private async copyMember(entry: ZipEntry, out: FileHandle, to: number): Promise<void> {
    const read = readerOf(this.fh, this.description);
    const from = await locateData(read, entry, this.description);
    let crc = 0;
    for (let done = 0; done < entry.compressedSize; ) {
      const bytes = await read(from + done, Math.min(COPY_CHUNK, entry.compressedSize - done));
      if (entry.method === METHOD_STORED) crc = zlibCrc32(bytes, crc);
      await writeAllAt(out, [bytes], to + done);
      done += bytes.length;
    }
    if (entry.method === METHOD_STORED && crc !== entry.crc32) {
      throw new ColzError(
        "ERR_CORRUPT_CHUNK",
        `member ${JSON.stringify(entry.name)} of ${this.description} at offset ${from} fails its CRC-32 check`,
      );
    }
  }

  private replace(key: string, entry: ZipEntry | undefined): void {
    if (!this.entries.has(key) || entry === undefined) this.sortedKeys = undefined;
    this.entries.delete(key); // re-insert at the end: the CD lists members in write order
    if (entry !== undefined) this.entries.set(key, entry);
    this.dirty = true;
  }

  private snapshot(key: string): { fh: FileHandle; entry: ZipEntry | undefined } {
    return { fh: this.fh, entry: this.entries.get(key) };
  }

  private check(op: string, key: string): void {
    if (this.closed) throw closedError(this.description, op);
    validateKey(key, this.description);
  }

  private checkWrite(op: string, key: string): void {
    this.check(op, key);
    if (this.readOnly) throw readOnlyError(this.description, op, key);
  }
}
