import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { ColzError } from "../errors.js";
import type { RunFailure, WorkerScanJob } from "../layout/worker-scan.js";
import { fsyncDir, readFully } from "./file-io.js";
import { closedError, ioError, readOnlyError, SerialQueue } from "./guards.js";
import { InProcessLock } from "./in-process-lock.js";
import { normalizePrefix, prefixDirectory, sortKeys, validateKey, validateRange, validateValue } from "./keys.js";
import { FileLock } from "./lock.js";
import { isMissing, pathError, RootedPaths } from "./safe-path.js";
import { runScanJobs } from "./scan-pool.js";
import type { LockOptions, Store, WriterLock } from "./types.js";

/** Name of the writer lock file in the root. */
export const DIRECTORY_LOCK_NAME = ".colz-lock";
/** Prefix of the temp files `set` renames into place; leftovers of a crash are ignored and cleaned. */
export const TEMP_PREFIX = ".colz-tmp-";

export interface DirectoryStoreOptions {
  /** 'r' read-only (default); 'a' read/write; 'w' read/write, emptied at open. */
  mode?: "r" | "a" | "w";
  /** Create the root when missing (default true for 'a' and 'w'; 'r' never creates). */
  create?: boolean;
  /** Milliseconds to wait for another writer's lock (default 0: fail at once with ERR_LOCKED). */
  waitMs?: number;
  /** fsync files and directories (default true). false is for scratch data: faster, not crash-safe. */
  sync?: boolean;
}

/**
 * A Store on a plain directory, bcolz-compatible: key "meta/sizes" is the file `<root>/meta/sizes`.
 *
 * Writes. `set` writes a temp file (`.colz-tmp-<pid>-<random>`) in the target's directory,
 * fsyncs it, and renames it over the target. Readers therefore see the old or the new bytes,
 * never a mix, and a set is visible to every reader as soon as it returns. What is not yet
 * durable is the directory entry: `commit()` fsyncs every directory whose entries changed
 * since the last commit (renames, deletes, mkdirs). We chose "fsync the file in set, fsync the
 * directories in commit" because it keeps commit() cheap (one fsync per touched directory, not
 * per file) while still making every commit point durable in order: data files are on disk
 * before the layout writes `meta/sizes`, and `meta/sizes` is on disk when commit returns.
 * After a crash each uncommitted set independently shows its old or new complete value (or
 * absence); every committed set survives. A clean close followed by a reopen shows every set,
 * committed or not, since the files are already in place.
 *
 * Writers. Opening with mode 'a' or 'w' takes the lock file `<root>/.colz-lock` (see FileLock)
 * and holds it until close(); a second writer gets ERR_LOCKED. Under that lock the opener
 * deletes temp files left by a crashed writer. Mode 'w' then deletes every key (like bcolz's
 * 'w', destructive at open). `lock()` grants the store object to one holder at a time.
 *
 * Keys. Besides `validateKey`'s rules, no segment may start with "." (ERR_BAD_KEY): dot-names
 * belong to the store itself (lock, temp files) and to other tools (`._*` AppleDouble files,
 * `.gitkeep`, `.DS_Store`), and list() skips all of them. Nothing is read or written outside the
 * root whatever the key: keys cannot contain "..", and symlinks resolving outside the root are
 * refused (see RootedPaths). A key cannot be both a value and a directory ("a" and "a/b");
 * delete() removes directories left empty so that such a key can be reused.
 *
 * @example
 * const store = await DirectoryStore.open("/data/t.bcolz", { mode: "a" });
 * await store.set("data/__0.blp", chunk); await store.commit();
 * await store.set("meta/sizes", sizes); await store.commit(); // the commit point
 * await store.close();
 */
export class DirectoryStore implements Store {
  readonly readOnly: boolean;
  private readonly touched = new Set<string>();
  private readonly queue = new SerialQueue();
  private readonly writer: InProcessLock;
  private closed = false;

  private constructor(
    readonly description: string,
    private readonly paths: RootedPaths,
    private readonly fileLock: FileLock | undefined,
    private readonly sync: boolean,
  ) {
    this.readOnly = fileLock === undefined;
    this.writer = new InProcessLock(description);
  }

  /**
   * Opens (and for 'a'/'w' creates, locks and cleans) the directory store at `root`.
   * ERR_NOT_FOUND when it is missing in mode 'r', ERR_NOT_A_CONTAINER when it is not a directory.
   *
   * @example
   * const reader = await DirectoryStore.open("/data/t.bcolz"); // mode 'r'
   */
  static async open(root: string, options: DirectoryStoreOptions = {}): Promise<DirectoryStore> {
    const mode = options.mode ?? "r";
    if (mode !== "r" && mode !== "a" && mode !== "w") {
      throw new ColzError("ERR_BAD_ARGUMENT", `DirectoryStore.open(${root}): unknown mode ${JSON.stringify(mode)}`);
    }
    const abs = path.resolve(root);
    const sync = options.sync ?? true;
    const st = await fsp.stat(abs).catch((e: unknown) => {
      if (isMissing(e)) return undefined;
      throw ioError(e, `cannot open directory store ${abs}`);
    });
    if (st === undefined) {
      if (mode === "r" || options.create === false) {
        throw new ColzError("ERR_NOT_FOUND", `no directory store at ${abs}`);
      }
      await fsp.mkdir(abs, { recursive: true }).catch((e: unknown) => {
        throw ioError(e, `cannot create directory store ${abs}`);
      });
      if (sync) await fsyncDir(path.dirname(abs));
    } else if (!st.isDirectory()) {
      throw new ColzError("ERR_NOT_A_CONTAINER", `${abs} is not a directory store (it is not a directory)`);
    }
    const paths = await RootedPaths.create(abs);
    if (mode === "r") return new DirectoryStore(abs, paths, undefined, sync);
    const lock = await FileLock.acquire(path.join(paths.root, DIRECTORY_LOCK_NAME), {
      waitMs: options.waitMs,
      description: `directory store ${abs}`,
    });
    const store = new DirectoryStore(abs, paths, lock, sync);
    try {
      await store.removeStaleTemps();
      if (mode === "w") for (const key of await store.list()) await store.deleteNow(key);
      await store.commitNow();
    } catch (e) {
      await lock.release().catch(() => undefined);
      throw e;
    }
    return store;
  }

  /** The real path of the root (symlinks resolved). @example store.root // "/data/t.bcolz" */
  get root(): string {
    return this.paths.root;
  }

  /** @example await store.get("meta/sizes") */
  async get(key: string): Promise<Uint8Array | undefined> {
    const file = await this.resolveRead("get", key);
    if (file === undefined) return undefined;
    return this.withFile(key, file, async (fh, size) => readFully(fh, 0, size));
  }

  /** Synchronous `get` (readFileSync-style). @example store.getSync("meta/sizes") */
  getSync(key: string): Uint8Array | undefined {
    this.check("get", key);
    return this.paths.readFileSync(this.paths.filePath(key), key);
  }

  /** @example await store.getRange("data/__0.blp", 0, 32) // header bytes only */
  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    validateRange(key, offset, length);
    const file = await this.resolveRead("getRange", key);
    if (file === undefined) return undefined;
    return this.withFile(key, file, async (fh, size) => {
      const start = Math.min(offset, size);
      return readFully(fh, start, Math.min(length, size - start));
    });
  }

  /**
   * `getRange` into the caller's buffer: no allocation per read, so scanning many chunk files
   * does not pay for fresh memory each time.
   *
   * @example
   * const n = await store.getRangeInto("data/__0.blp", 0, scratch);
   */
  async getRangeInto(key: string, offset: number, target: Uint8Array): Promise<number | undefined> {
    validateRange(key, offset, target.length);
    const file = await this.resolveRead("getRange", key);
    if (file === undefined) return undefined;
    return this.withFile(key, file, async (fh, size) => {
      const start = Math.min(offset, size);
      const want = Math.min(target.length, size - start);
      let done = 0;
      while (done < want) {
        const { bytesRead } = await fh.read(target, done, want - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done;
    });
  }

  /**
   * Synchronous `getRangeInto`: scans of page-cached chunk files avoid a thread-pool round trip
   * per file. @example const n = store.getRangeIntoSync("data/__0.blp", 0, scratch);
   */
  getRangeIntoSync(key: string, offset: number, target: Uint8Array): number | undefined {
    this.check("getRange", key);
    validateRange(key, offset, target.length);
    return this.paths.readIntoSync(this.paths.filePath(key), key, offset, target);
  }

  /**
   * Runs the shares of a threaded scan on the process's scan workers (see scan-pool.ts); each worker
   * opens this directory read-only by its path, which is also this store's description, so its
   * errors read like this store's. @example await Promise.all(store.scanInWorkers(jobs));
   */
  scanInWorkers(jobs: readonly WorkerScanJob[]): Promise<RunFailure | undefined>[] {
    if (this.closed) throw closedError(this.description, "scanInWorkers");
    return runScanJobs(this.description, jobs);
  }

  /** @example await store.size("data/__0.blp") */
  async size(key: string): Promise<number | undefined> {
    const file = await this.resolveRead("size", key);
    if (file === undefined) return undefined;
    return this.withFile(key, file, async (_fh, size) => size);
  }

  /** @example await store.has("meta/sizes") */
  async has(key: string): Promise<boolean> {
    return (await this.size(key)) !== undefined;
  }

  /** Atomic replace via temp file + fsync + rename; durable at the next commit(). @example await store.set(k, v) */
  async set(key: string, value: Uint8Array): Promise<void> {
    this.checkWrite("set", key);
    validateValue(key, value);
    await this.queue.run(async () => {
      this.checkWrite("set", key);
      const dir = await this.paths.ensureParent(key, this.touched);
      const file = this.paths.filePath(key);
      const st = await fsp.lstat(file).catch((e: unknown) => {
        if (isMissing(e)) return undefined;
        throw pathError(e, key, file);
      });
      if (st?.isSymbolicLink()) await this.paths.resolveLink(file, key); // refuses links leaving the root
      if (st?.isDirectory()) {
        throw new ColzError("ERR_BAD_KEY", `key ${JSON.stringify(key)} cannot be stored: ${file} is a directory`);
      }
      const temp = path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
      try {
        const fh = await fsp.open(temp, "wx", 0o644);
        try {
          await fh.writeFile(value);
          if (this.sync) await fh.sync();
        } finally {
          await fh.close();
        }
        await fsp.rename(temp, file);
      } catch (e) {
        await fsp.unlink(temp).catch(() => undefined);
        throw pathError(e, key, file);
      }
      this.touched.add(dir);
    });
  }

  /** Removes the file and any directories left empty; durable at the next commit(). @example await store.delete(k) */
  async delete(key: string): Promise<void> {
    this.checkWrite("delete", key);
    await this.queue.run(async () => {
      this.checkWrite("delete", key);
      await this.deleteNow(key);
    });
  }

  /**
   * Every key under the root, sorted; skips dot-files and does not descend into symlinked directories.
   *
   * @example
   * await store.list("meta/"); // ["meta/sizes", "meta/storage"]
   */
  async list(prefix?: string): Promise<string[]> {
    if (this.closed) throw closedError(this.description, "list");
    const p = normalizePrefix(prefix);
    const keys: string[] = [];
    const startKey = prefixDirectory(p);
    let start = this.paths.root;
    if (startKey !== "") {
      if (startKey.split("/").some((s) => s === "" || s.startsWith(".") || s === "..")) return [];
      start = this.paths.filePath(startKey);
      try {
        if (!(await this.paths.checkDir(start, startKey))) return [];
      } catch {
        return []; // a prefix through an escaping symlink matches nothing
      }
    }
    await walkKeys(this.paths, start, this.description, (file) => {
      const key = this.paths.keyOf(file);
      if (key.startsWith(p)) keys.push(key);
    });
    return sortKeys(keys);
  }

  /** fsyncs every directory touched since the last commit. @example await store.commit() */
  async commit(): Promise<void> {
    if (this.closed) throw closedError(this.description, "commit");
    if (this.readOnly) return;
    await this.queue.run(() => this.commitNow());
  }

  /** Grants this store object to one holder at a time (the lock file is already held). @example await store.lock() */
  async lock(options?: LockOptions): Promise<WriterLock> {
    if (this.closed) throw closedError(this.description, "lock");
    if (this.readOnly) throw readOnlyError(this.description, "lock");
    return this.writer.acquire(options);
  }

  /** Waits for pending writes, releases the lock file; does not commit. Idempotent. @example await store.close() */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.run(async () => undefined);
    this.writer.reset();
    await this.fileLock?.release();
  }

  private async deleteNow(key: string): Promise<void> {
    const file = this.paths.filePath(key);
    let dir = path.dirname(file);
    if (!(await this.paths.checkDir(dir, key))) return;
    try {
      const st = await fsp.lstat(file);
      if (st.isDirectory()) return; // not a value
      if (st.isSymbolicLink()) await this.paths.resolveLink(file, key); // refuses links leaving the root
      await fsp.unlink(file);
    } catch (e) {
      if (isMissing(e)) return;
      throw pathError(e, key, file);
    }
    this.touched.add(dir);
    // Remove directories left empty, so that "a" can be set after "a/b" was deleted.
    while (dir !== this.paths.root && this.paths.contains(dir)) {
      try {
        await fsp.rmdir(dir);
      } catch {
        break; // not empty (or already gone)
      }
      this.paths.forget(dir);
      this.touched.delete(dir);
      dir = path.dirname(dir);
      this.touched.add(dir);
    }
  }

  private async commitNow(): Promise<void> {
    const dirs = [...this.touched];
    this.touched.clear();
    if (!this.sync) return;
    try {
      for (const dir of dirs) await fsyncDir(dir);
    } catch (e) {
      for (const dir of dirs) this.touched.add(dir);
      throw ioError(e, `commit of directory store ${this.description} failed`);
    }
  }

  private async removeStaleTemps(): Promise<void> {
    // We hold the writer lock, so no live writer owns a temp file: every one is a crash leftover.
    const stale: string[] = [];
    await walkKeys(
      this.paths,
      this.paths.root,
      this.description,
      () => undefined,
      (file) => stale.push(file),
    );
    for (const file of stale) {
      await fsp.unlink(file).catch(() => undefined);
      this.touched.add(path.dirname(file));
    }
  }

  private async resolveRead(op: string, key: string): Promise<string | undefined> {
    this.check(op, key);
    const file = this.paths.filePath(key);
    return (await this.paths.checkDir(path.dirname(file), key)) ? file : undefined;
  }

  private async withFile<T>(
    key: string,
    file: string,
    fn: (fh: FileHandle, size: number) => Promise<T>,
  ): Promise<T | undefined> {
    const fh = await this.paths.openFile(file, key);
    if (fh === undefined) return undefined;
    try {
      const st = await fh.stat();
      if (!st.isFile()) return undefined;
      return await fn(fh, st.size);
    } catch (e) {
      throw pathError(e, key, file);
    } finally {
      await fh.close();
    }
  }

  private check(op: string, key: string): void {
    if (this.closed) throw closedError(this.description, op);
    validateKey(key, this.description);
    if (key.startsWith(".") || key.includes("/.")) {
      throw new ColzError(
        "ERR_BAD_KEY",
        `key ${JSON.stringify(key)} is invalid in directory store ${this.description}: ` +
          "segments starting with '.' are reserved (lock and temp files, AppleDouble, .gitkeep)",
      );
    }
  }

  private checkWrite(op: string, key: string): void {
    this.check(op, key);
    if (this.readOnly) throw readOnlyError(this.description, op, key);
  }
}

/**
 * Calls `onFile` for every value file below `dir` and `onTemp` for every temp file of ours.
 * Dot-names are skipped (they are never keys); symlinked files resolving inside the root are
 * values; symlinked directories are not followed (no cycles).
 *
 * @example
 * await walkKeys(paths, paths.root, "t.bcolz", (file) => keys.push(paths.keyOf(file)));
 */
async function walkKeys(
  paths: RootedPaths,
  dir: string,
  description: string,
  onFile: (file: string) => void,
  onTemp?: (file: string) => void,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (isMissing(e)) return;
    throw ioError(e, `cannot list ${dir} in directory store ${description}`);
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.name.startsWith(".")) {
      if (onTemp !== undefined && entry.name.startsWith(TEMP_PREFIX) && entry.isFile()) onTemp(file);
      continue;
    }
    if (entry.isDirectory()) await walkKeys(paths, file, description, onFile, onTemp);
    else if (entry.isFile()) onFile(file);
    else if (entry.isSymbolicLink()) {
      const real = await fsp.realpath(file).catch(() => undefined);
      if (real === undefined || !paths.contains(real)) continue;
      if ((await fsp.stat(real).catch(() => undefined))?.isFile()) onFile(file);
    }
  }
}
