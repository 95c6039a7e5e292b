import { randomBytes } from "node:crypto";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { ColzError, DIRECTORY_LOCK_NAME, FileLock, fsyncDir } from "@colz/format/node";
import type { StemEntry } from "../backend.js";
import {
  DEFAULT_FANOUT,
  type EntryKind,
  encodeMarker,
  isFanout,
  KEYSTORE_FORMAT_VERSION,
  type LayoutName,
  LONG_KEY_SUFFIX,
  MARKER_NAME,
  type Marker,
  parseEntryName,
  parseMarker,
} from "../layout-names.js";

// The root directory of a path-based key store, shared by the zip and dir layouts: opening
// (marker, writer lock, temp cleanup), atomic small files, bucket directories and listing.

/** Temp files (zip files being built, pointers, sidecars) live here, then rename into a bucket. */
export const TEMP_DIR = ".colz-tmp";

export interface RootOptions {
  mode: "r" | "a" | "w";
  layout?: LayoutName;
  fanout?: number;
  waitMs?: number;
  sync: boolean;
}

/**
 * A key store's root directory. Writers hold `<root>/.colz-lock` (FileLock: stale locks of
 * killed writers are taken over) until `close()`.
 */
export class FsRoot {
  private readonly knownBuckets = new Set<string>();
  /** The temp directory was created by this writer (open removes it, so it is never stale). */
  private tempDirMade = false;

  private constructor(
    readonly root: string,
    readonly marker: Marker,
    readonly sync: boolean,
    private readonly lock: FileLock | undefined,
  ) {}

  /**
   * Opens the root; mode 'a'/'w' creates it, takes the lock and empties the temp directory
   * ('w' also deletes every key). ERR_NOT_FOUND (mode 'r'), ERR_NOT_A_CONTAINER (a directory
   * with other content), ERR_BAD_ARGUMENT (asked layout differs from the store's), ERR_LOCKED.
   *
   * @example
   * const root = await FsRoot.open("/data/ks", { mode: "a", sync: true });
   */
  static async open(dir: string, options: RootOptions): Promise<FsRoot> {
    const root = path.resolve(dir);
    if (options.fanout !== undefined && !isFanout(options.fanout)) {
      throw new ColzError("ERR_BAD_ARGUMENT", `fanout must be 1, 2 or 3 (hex digits), got ${options.fanout}`);
    }
    if (options.mode === "r") {
      const marker = await readMarker(root);
      if (marker === undefined) throw new ColzError("ERR_NOT_FOUND", `no key store at ${root}`);
      checkLayout(marker, options.layout, root);
      return new FsRoot(root, marker, options.sync, undefined);
    }
    const made = await fsp.mkdir(root, { recursive: true }).catch((e: unknown) => {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTDIR") {
        throw new ColzError("ERR_NOT_A_CONTAINER", `${root} is a file, not a key store directory`, { cause: e });
      }
      throw new ColzError("ERR_IO", `cannot create key store directory ${root}`, { cause: e });
    });
    // Make the new directories' entries durable, or a power loss could drop the whole store.
    if (made !== undefined && options.sync) {
      for (let d = root; d !== path.dirname(made); d = path.dirname(d)) await fsyncDir(path.dirname(d));
    }
    const lock = await FileLock.acquire(path.join(root, DIRECTORY_LOCK_NAME), {
      waitMs: options.waitMs,
      description: `key store ${root}`,
    });
    try {
      const found = await readMarker(root);
      if (found !== undefined && options.mode === "a") checkLayout(found, options.layout, root);
      if (found === undefined) {
        const foreign = (await fsp.readdir(root)).filter((n) => !n.startsWith("."));
        if (foreign.length > 0) {
          throw new ColzError("ERR_NOT_A_CONTAINER", `${root} is not empty and is not a key store (no ${MARKER_NAME})`);
        }
      }
      const fresh = found === undefined || options.mode === "w";
      const fs = new FsRoot(root, fresh ? newMarker(options) : found, options.sync, lock);
      await fsp.rm(path.join(root, TEMP_DIR), { recursive: true, force: true });
      if (fresh) {
        if (found !== undefined) await fs.removeAll();
        await fs.writeFileAtomic(MARKER_NAME, encodeMarker(fs.marker));
      }
      return fs;
    } catch (e) {
      await lock.release().catch(() => undefined);
      throw e;
    }
  }

  get readOnly(): boolean {
    return this.lock === undefined;
  }

  get fanout(): number {
    return this.marker.fanout;
  }

  /** Absolute path of a root-relative path ("5c/kfoo.zip"). */
  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /** A fresh temp path in the temp directory (created on demand). */
  async tempPath(suffix = ""): Promise<string> {
    const dir = path.join(this.root, TEMP_DIR);
    if (!this.tempDirMade) {
      await fsp.mkdir(dir, { recursive: true });
      this.tempDirMade = true;
    }
    return path.join(dir, `${process.pid}-${randomBytes(6).toString("hex")}${suffix}`);
  }

  /** Creates the bucket directory if needed (durably: the root is fsynced when it is new). */
  async ensureBucket(bucket: string): Promise<void> {
    if (this.knownBuckets.has(bucket)) return;
    try {
      await fsp.mkdir(this.abs(bucket));
      await this.fsyncDir(this.root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    this.knownBuckets.add(bucket);
  }

  /** Replaces `rel` atomically and durably: temp file, fsync, rename, fsync of the directory. */
  async writeFileAtomic(rel: string, bytes: Uint8Array): Promise<void> {
    const temp = await this.tempPath();
    try {
      const fh = await fsp.open(temp, "wx", 0o644);
      try {
        await fh.writeFile(bytes);
        if (this.sync) await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(temp, this.abs(rel));
    } catch (e) {
      await fsp.unlink(temp).catch(() => undefined);
      throw new ColzError("ERR_IO", `cannot write ${this.abs(rel)}`, { cause: e });
    }
    await this.fsyncDir(path.dirname(this.abs(rel)));
  }

  /** The file's bytes, or undefined when it does not exist. */
  async readFile(rel: string): Promise<Uint8Array | undefined> {
    try {
      return await fsp.readFile(this.abs(rel));
    } catch (e) {
      if (isMissingError(e)) return undefined;
      throw new ColzError("ERR_IO", `cannot read ${this.abs(rel)}`, { cause: e });
    }
  }

  async fsyncDir(dir: string): Promise<void> {
    if (this.sync) await fsyncDir(dir);
  }

  /**
   * Streams the entries of `kind` bucket by bucket, reading directories with opendir (a few
   * entries at a time) and opening no file.
   *
   * @example
   * for await (const { bucket, stem } of root.list("zip")) ...
   */
  async *list(kind: EntryKind): AsyncGenerator<StemEntry> {
    const bucketRe = new RegExp(`^[0-9a-f]{${this.fanout}}$`);
    const buckets = (await fsp.readdir(this.root)).filter((n) => bucketRe.test(n)).sort();
    for (const bucket of buckets) {
      let dir: import("node:fs").Dir;
      try {
        dir = await fsp.opendir(this.abs(bucket), { bufferSize: 256 });
      } catch (e) {
        if (isMissingError(e)) continue;
        throw new ColzError("ERR_IO", `cannot list ${this.abs(bucket)}`, { cause: e });
      }
      for await (const entry of dir) {
        const parsed = parseEntryName(entry.name);
        if (parsed?.kind === kind) yield { bucket, stem: parsed.stem };
      }
    }
  }

  /** A long key's sidecar content (undefined when missing or not UTF-8). */
  async readLongKey(bucket: string, stem: string): Promise<string | undefined> {
    const bytes = await this.readFile(`${bucket}/${stem}${LONG_KEY_SUFFIX}`);
    if (bytes === undefined) return undefined;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }

  /** Releases the writer lock. Idempotent. */
  async close(): Promise<void> {
    await this.lock?.release();
  }

  /**
   * Mode 'w': deletes every key, then the marker is rewritten by the caller. The marker stays
   * until then, so a crash half-way leaves a smaller but valid key store, never a directory
   * that later opens refuse as foreign.
   */
  private async removeAll(): Promise<void> {
    for (const name of await fsp.readdir(this.root)) {
      if (name === DIRECTORY_LOCK_NAME || name === MARKER_NAME) continue;
      await fsp.rm(this.abs(name), { recursive: true, force: true });
    }
    await this.fsyncDir(this.root);
  }
}

/** True for ENOENT/ENOTDIR: the thing is not there. */
export function isMissingError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

async function readMarker(root: string): Promise<Marker | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(path.join(root, MARKER_NAME));
  } catch (e) {
    if (isMissingError(e)) return undefined;
    if ((e as NodeJS.ErrnoException).code === "EISDIR")
      throw new ColzError("ERR_NOT_A_CONTAINER", `${root}: bad ${MARKER_NAME}`);
    throw new ColzError("ERR_IO", `cannot read ${path.join(root, MARKER_NAME)}`, { cause: e });
  }
  return parseMarker(bytes, root);
}

function newMarker(options: RootOptions): Marker {
  return {
    format: "colz-keystore",
    version: KEYSTORE_FORMAT_VERSION,
    layout: options.layout ?? "zip",
    fanout: options.fanout ?? DEFAULT_FANOUT,
  };
}

function checkLayout(marker: Marker, asked: LayoutName | undefined, root: string): void {
  if (asked !== undefined && asked !== marker.layout) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `key store ${root} has the '${marker.layout}' layout, not '${asked}' (omit layout to use the store's own)`,
    );
  }
}
