import * as fs from "node:fs";
import type { FileHandle } from "node:fs/promises";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { ColzError } from "../errors.js";
import { validateKey } from "./keys.js";

// O_NOFOLLOW makes open() fail with ELOOP on a symlink, so the common case costs no extra lstat.
const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0);

/**
 * Maps store keys to file paths under one root and guarantees that no path it hands out leads
 * outside the root. Keys are validated first (no "..", no absolute paths, no backslashes), so the
 * joined path is lexically inside the root; what remains is symlinks. Every directory on the way
 * to a file is checked once with realpath() and cached; a symlink whose target resolves outside
 * the root is refused with ERR_BAD_KEY. Symlinks that stay inside the root are followed.
 * (A process that can swap directories for symlinks inside the root while we run can race these
 * checks; the root's own permissions are the defence there.)
 *
 * @example
 * const paths = await RootedPaths.create("/data/t.bcolz");
 * paths.filePath("meta/sizes"); // "/data/t.bcolz/meta/sizes"
 */
export class RootedPaths {
  /** Directories (absolute, as joined from the root) already known to resolve inside the root. */
  private readonly verified = new Set<string>();
  private readonly rootPrefix: string;

  private constructor(readonly root: string) {
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
    this.verified.add(root);
  }

  /**
   * Resolves `root` (which must exist) to its real path.
   *
   * @example
   * const paths = await RootedPaths.create("./t.bcolz");
   */
  static async create(root: string): Promise<RootedPaths> {
    return new RootedPaths(await fsp.realpath(root));
  }

  /** True when the absolute real path `p` is the root or below it. @example paths.contains("/data/t/x") */
  contains(p: string): boolean {
    return p === this.root || p.startsWith(this.rootPrefix);
  }

  /** The path of `key` under the root (not yet checked for symlinks). @example paths.filePath("a/b") */
  filePath(key: string): string {
    return path.join(this.root, ...key.split("/"));
  }

  /** The key of an absolute path below the root. @example paths.keyOf("/data/t/a/b") // "a/b" */
  keyOf(p: string): string {
    return path.relative(this.root, p).split(path.sep).join("/");
  }

  /** Forgets cached checks below `dir` (after it was removed). @example paths.forget("/data/t/a") */
  forget(dir: string): void {
    for (const d of this.verified) if (d === dir || d.startsWith(dir + path.sep)) this.verified.delete(d);
  }

  /**
   * Checks that the directory `dir` (absolute, below the root) resolves inside the root.
   * Returns false when it does not exist; throws ERR_BAD_KEY naming `key` when it escapes.
   *
   * @example
   * await paths.checkDir("/data/t/meta", "meta/sizes");
   */
  async checkDir(dir: string, key: string): Promise<boolean> {
    if (this.verified.has(dir)) return true;
    let real: string;
    try {
      real = await fsp.realpath(dir);
    } catch (e) {
      if (!isMissing(e)) throw pathError(e, key, dir);
      // Missing: still refuse a key whose existing part already leads out through a symlink.
      const up = path.dirname(dir);
      if (up !== dir && this.contains(up)) await this.checkDir(up, key);
      return false;
    }
    return this.accept(dir, real, key);
  }

  /** Synchronous `checkDir`. @example paths.checkDirSync("/data/t/meta", "meta/sizes") */
  checkDirSync(dir: string, key: string): boolean {
    if (this.verified.has(dir)) return true;
    let real: string;
    try {
      real = fs.realpathSync.native(dir);
    } catch (e) {
      if (!isMissing(e)) throw pathError(e, key, dir);
      const up = path.dirname(dir);
      if (up !== dir && this.contains(up)) this.checkDirSync(up, key);
      return false;
    }
    return this.accept(dir, real, key);
  }

  /**
   * Resolves the symlink `file` (the last component of `key`) and returns its real path, or
   * undefined when it dangles; ERR_BAD_KEY when it points outside the root.
   *
   * @example
   * await paths.resolveLink("/data/t/link", "link");
   */
  async resolveLink(file: string, key: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await fsp.realpath(file);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw pathError(e, key, file);
    }
    if (!this.contains(real)) throw escapeError(key, file, real);
    return real;
  }

  /** Synchronous `resolveLink`. @example paths.resolveLinkSync("/data/t/link", "link") */
  resolveLinkSync(file: string, key: string): string | undefined {
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw pathError(e, key, file);
    }
    if (!this.contains(real)) throw escapeError(key, file, real);
    return real;
  }

  /**
   * Opens `file` (the path of `key`; its directory already checked) for reading. A symlink is
   * followed only when it resolves inside the root (ERR_BAD_KEY otherwise); undefined when missing.
   *
   * @example
   * const fh = await paths.openFile("/data/t/meta/sizes", "meta/sizes");
   */
  async openFile(file: string, key: string): Promise<FileHandle | undefined> {
    try {
      return await fsp.open(file, READ_FLAGS);
    } catch (e) {
      if (isMissing(e)) return undefined;
      if ((e as NodeJS.ErrnoException).code !== "ELOOP") throw pathError(e, key, file);
    }
    const real = await this.resolveLink(file, key);
    if (real === undefined) return undefined;
    try {
      return await fsp.open(real, "r");
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw pathError(e, key, file);
    }
  }

  /**
   * Synchronously reads the whole regular file `file` (the path of `key`), with the checks of
   * `checkDirSync` and `openFile`; undefined when it is missing or not a regular file.
   *
   * @example
   * const bytes = paths.readFileSync("/data/t/meta/sizes", "meta/sizes");
   */
  readFileSync(file: string, key: string): Uint8Array | undefined {
    return this.withFileSync(file, key, (fd, size) => {
      const out = new Uint8Array(size);
      const done = readFullySync(fd, out, 0);
      return done === out.length ? out : out.slice(0, done);
    });
  }

  /**
   * Synchronous read of bytes [offset, offset + target.length) of a value file into `target`,
   * with the checks of `readFileSync`; returns how many bytes were read (fewer when the file
   * ends first), or undefined when it is missing or not a regular file. No allocation: scans of
   * page-cached chunk files read each one straight into the decoder's memory.
   *
   * @example
   * const n = paths.readIntoSync("/data/t/data/__0.blp", "data/__0.blp", 0, scratch);
   */
  readIntoSync(file: string, key: string, offset: number, target: Uint8Array): number | undefined {
    return this.withFileSync(file, key, (fd, size) => {
      const start = Math.min(offset, size);
      const want = Math.min(target.length, size - start);
      return readFullySync(fd, target.subarray(0, want), start);
    });
  }

  /** Opens a value file like `openFile` (synchronously) and runs `fn` on a regular file. */
  private withFileSync<T>(file: string, key: string, fn: (fd: number, size: number) => T): T | undefined {
    if (!this.checkDirSync(path.dirname(file), key)) return undefined;
    let fd: number;
    try {
      fd = fs.openSync(file, READ_FLAGS);
    } catch (e) {
      if (isMissing(e)) return undefined;
      if ((e as NodeJS.ErrnoException).code !== "ELOOP") throw pathError(e, key, file);
      const real = this.resolveLinkSync(file, key);
      if (real === undefined) return undefined;
      try {
        fd = fs.openSync(real, "r");
      } catch (e2) {
        if (isMissing(e2)) return undefined;
        throw pathError(e2, key, file);
      }
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) return undefined;
      return fn(fd, st.size);
    } catch (e) {
      throw pathError(e, key, file);
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Creates the directories of `key`'s parent one level at a time (never through a symlink that
   * leaves the root) and returns the parent directory. `touched` receives every directory whose
   * entries changed, for the next commit's fsync. ERR_BAD_KEY when a prefix of the key is a value.
   *
   * @example
   * const dir = await paths.ensureParent("price/data/__0.blp", touched); // ".../price/data"
   */
  async ensureParent(key: string, touched: Set<string>): Promise<string> {
    validateKey(key);
    const segments = key.split("/");
    let dir = this.root;
    for (const segment of segments.slice(0, -1)) {
      const next = path.join(dir, segment);
      if (!this.verified.has(next)) await this.ensureDir(next, dir, key, touched);
      dir = next;
    }
    return dir;
  }

  private async ensureDir(dir: string, parent: string, key: string, touched: Set<string>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let st: fs.Stats | undefined;
      try {
        st = await fsp.lstat(dir);
      } catch (e) {
        if (!isMissing(e)) throw pathError(e, key, dir);
      }
      if (st === undefined && attempt === 0) {
        try {
          await fsp.mkdir(dir);
          touched.add(parent);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw pathError(e, key, dir);
        }
        continue; // look at what is there now, created by us or concurrently
      }
      if (st === undefined) throw pathError(new Error("directory vanished while being created"), key, dir);
      if (st.isSymbolicLink()) {
        if (!(await this.checkDir(dir, key))) throw escapeError(key, dir, "(a dangling link)");
        return;
      }
      if (st.isDirectory()) {
        this.verified.add(dir);
        return;
      }
      throw new ColzError(
        "ERR_BAD_KEY",
        `key ${JSON.stringify(key)} cannot be stored: ${JSON.stringify(this.keyOf(dir))} is a value, not a directory`,
      );
    }
  }

  private accept(dir: string, real: string, key: string): boolean {
    if (!this.contains(real)) throw escapeError(key, dir, real);
    this.verified.add(dir);
    return true;
  }
}

/**
 * True for errors that mean "no such file" (also ENOTDIR: a file where a directory was expected).
 *
 * @example
 * catch (e) { if (isMissing(e)) return undefined; }
 */
export function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Maps an fs error on `file` for `key`: ENAMETOOLONG becomes ERR_BAD_KEY, the rest ERR_IO.
 *
 * @example
 * catch (e) { throw pathError(e, key, file); }
 */
export function pathError(e: unknown, key: string, file: string): ColzError {
  if (e instanceof ColzError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENAMETOOLONG") {
    return new ColzError("ERR_BAD_KEY", `key ${JSON.stringify(key)} is too long for this file system (${file})`, {
      cause: e,
    });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new ColzError("ERR_IO", `key ${JSON.stringify(key)}: I/O error on ${file}: ${msg}`, { cause: e });
}

function escapeError(key: string, link: string, target: string): ColzError {
  return new ColzError(
    "ERR_BAD_KEY",
    `key ${JSON.stringify(key)} is refused: ${link} is a symlink resolving outside the store root (to ${target})`,
  );
}

/** Reads into all of `target` from `position` (less only when the file ends first). */
function readFullySync(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const n = fs.readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
