import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { ColumnValues } from "@colz/ctable";
import { ColzError, encodeZipArchive, isColzError, ZipBufferStore, ZipStore } from "@colz/format/node";
import type { KeyBackend, StemEntry, ValueBuilder, ValueView } from "../backend.js";
import { NOT_FAST, readColumnsFast } from "../fast-columns.js";
import type { EncodedKey } from "../key-codec.js";
import { LONG_KEY_SUFFIX, ZIP_SUFFIX } from "../layout-names.js";
import { type FsRoot, isMissingError } from "./fs-root.js";
import { ValueBuildStore } from "./value-build-store.js";
import { readWholeFile, sharedReadBuffers, WHOLE_READ_LIMIT, writeNewFile } from "./whole-file.js";

/**
 * The zip layout: each key is ONE file, "<bucket>/<stem>.zip", a colz ZipStore (STORED members,
 * the ctable at its root: `unzip` yields a bcolz directory).
 *
 * set: the table is built in memory, encoded as one archive (a single central directory) and
 * written to a temp file with one vectored write, fsynced, renamed over the key's file (atomic: a
 * reader sees the old file or the new one) and the bucket directory is fsynced. No lock file per
 * value: the temp file is private, and the store's writer lock keeps other writers out.
 * getColumns reads a value of up to 64 MB whole, with one read, and decodes it from memory. A reader that opened the old file keeps reading it (POSIX keeps
 * an open file alive after rename), so a `get()` table is a consistent snapshot. delete is one
 * unlink, rename one rename(2). A crash leaves at most a temp file, removed at the next writer open.
 */
export class ZipBackend implements KeyBackend {
  private readonly buffers = sharedReadBuffers;

  constructor(private readonly fs: FsRoot) {}

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
    let store: ZipStore;
    try {
      store = await ZipStore.open(this.file(name), { mode: writable ? "a" : "r", create: false, sync: this.fs.sync });
    } catch (e) {
      if (isColzError(e, "ERR_NOT_FOUND")) return undefined;
      throw e;
    }
    return { store, prefix: "", version: undefined, close: () => store.close() };
  }

  /**
   * getColumns' fast path: the file read whole (one open, fstat, read, close) and its columns
   * decoded straight into their arrays (readColumnsFast). NOT_FAST for large files and values
   * CTable must read; undefined when the key has no file.
   */
  async readColumns(
    name: EncodedKey,
    names: readonly string[] | undefined,
  ): Promise<Record<string, ColumnValues> | undefined | typeof NOT_FAST> {
    const file = this.file(name);
    const whole = readWholeFile(file, WHOLE_READ_LIMIT, this.buffers);
    if (whole.kind === "missing") return undefined;
    if (whole.kind === "other") return NOT_FAST;
    try {
      const zip = await ZipBufferStore.open(whole.bytes, file);
      return await readColumnsFast((key, checkCrc) => zip.memberView(key, checkCrc), names);
    } finally {
      this.buffers.give(whole.buffer);
    }
  }

  async exists(name: EncodedKey): Promise<boolean> {
    try {
      return (await fsp.stat(this.file(name))).isFile();
    } catch (e) {
      if (isMissingError(e)) return false;
      throw new ColzError("ERR_IO", `cannot stat ${this.file(name)}`, { cause: e });
    }
  }

  async version(): Promise<undefined> {
    return undefined;
  }

  async write(name: EncodedKey, build: ValueBuilder): Promise<void> {
    // Built in memory first so that the file gets one central directory and no garbage: building
    // straight into a ZipStore would append a directory per CTable commit.
    const value = new ValueBuildStore(`${this.file(name)} (being built)`);
    await build(value, "");
    const archive = encodeZipArchive(value.members());
    const temp = await this.fs.tempPath(ZIP_SUFFIX);
    try {
      writeNewFile(temp, archive.parts, this.fs.sync);
      await this.fs.ensureBucket(name.bucket);
      fs.renameSync(temp, this.file(name));
    } catch (e) {
      fs.rmSync(temp, { force: true });
      throw isColzError(e) ? e : new ColzError("ERR_IO", `cannot write ${this.file(name)}`, { cause: e });
    }
    await this.fs.fsyncDir(this.fs.abs(name.bucket));
  }

  async remove(name: EncodedKey): Promise<boolean> {
    try {
      await fsp.unlink(this.file(name));
    } catch (e) {
      if (isMissingError(e)) return false;
      throw new ColzError("ERR_IO", `cannot delete ${this.file(name)}`, { cause: e });
    }
    await this.fs.fsyncDir(this.fs.abs(name.bucket));
    return true;
  }

  async move(from: EncodedKey, to: EncodedKey): Promise<boolean> {
    await this.fs.ensureBucket(to.bucket);
    try {
      await fsp.rename(this.file(from), this.file(to));
    } catch (e) {
      if (isMissingError(e)) return false;
      throw new ColzError("ERR_IO", `cannot rename ${this.file(from)} to ${this.file(to)}`, { cause: e });
    }
    await this.fs.fsyncDir(this.fs.abs(to.bucket));
    if (from.bucket !== to.bucket) await this.fs.fsyncDir(this.fs.abs(from.bucket));
    return true;
  }

  list(): AsyncIterable<StemEntry> {
    return this.fs.list("zip");
  }

  readLongKey(bucket: string, stem: string): Promise<string | undefined> {
    return this.fs.readLongKey(bucket, stem);
  }

  async writeLongKey(name: EncodedKey): Promise<void> {
    await this.fs.ensureBucket(name.bucket);
    await this.fs.writeFileAtomic(sidecar(name), new TextEncoder().encode(name.key));
  }

  async removeLongKey(name: EncodedKey): Promise<void> {
    await fsp.rm(this.fs.abs(sidecar(name)), { force: true });
  }

  close(): Promise<void> {
    return this.fs.close();
  }

  private file(name: EncodedKey): string {
    return path.join(this.fs.root, name.bucket, `${name.stem}${ZIP_SUFFIX}`);
  }
}

function sidecar(name: EncodedKey): string {
  return `${name.bucket}/${name.stem}${LONG_KEY_SUFFIX}`;
}
