import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { ColzError, isColzError, MemoryStore, ZipStore } from "@colz/format/node";
import type { KeyBackend, StemEntry, ValueBuilder, ValueView } from "../backend.js";
import type { EncodedKey } from "../key-codec.js";
import { LONG_KEY_SUFFIX, ZIP_SUFFIX } from "../layout-names.js";
import { type FsRoot, isMissingError } from "./fs-root.js";

/**
 * The zip layout: each key is ONE file, "<bucket>/<stem>.zip", a colz ZipStore (STORED members,
 * the ctable at its root: `unzip` yields a bcolz directory).
 *
 * set: the table is built in memory, written to a temp file with a single central directory,
 * fsynced, renamed over the key's file (atomic: a reader sees the old file or the new one) and the
 * bucket directory is fsynced. A reader that opened the old file keeps reading it (POSIX keeps
 * an open file alive after rename), so a `get()` table is a consistent snapshot. delete is one
 * unlink, rename one rename(2). A crash leaves at most a temp file, removed at the next writer open.
 */
export class ZipBackend implements KeyBackend {
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
    const memory = new MemoryStore({ description: `${this.file(name)} (being built)` });
    await build(memory, "");
    const temp = await this.fs.tempPath(ZIP_SUFFIX);
    try {
      // No fsync per commit: nobody sees the temp file; one fsync before the rename covers it all.
      const zip = await ZipStore.open(temp, { mode: "w", sync: false });
      try {
        for (const key of await memory.list()) await zip.set(key, (await memory.get(key)) as Uint8Array);
        await zip.commit();
      } finally {
        await zip.close();
      }
      if (this.fs.sync) {
        const fh = await fsp.open(temp, "r+");
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
      await this.fs.ensureBucket(name.bucket);
      await fsp.rename(temp, this.file(name));
    } catch (e) {
      await fsp.rm(temp, { force: true }).catch(() => undefined);
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
