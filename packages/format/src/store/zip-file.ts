/**
 * File-level helpers of ZipStore: opening, creating and reading the archive file. Node-only.
 */
import { randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { ColzError } from "../errors.js";
import { fsyncDir, readFully, writeAllAt } from "./file-io.js";
import { ioError } from "./guards.js";
import { isMissing } from "./safe-path.js";
import type { ByteSource } from "./zip-directory.js";
import { encodeEnd } from "./zip-format.js";

/**
 * Opens the archive file; ERR_NOT_FOUND when missing, ERR_NOT_A_CONTAINER for a directory.
 *
 * @example
 * const fh = await openArchive("/data/t.zip", "r");
 */
export async function openArchive(abs: string, flags: "r" | "r+"): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(abs, flags);
  } catch (e) {
    if (isMissing(e)) throw new ColzError("ERR_NOT_FOUND", `no zip store at ${abs}`, { cause: e });
    if ((e as NodeJS.ErrnoException).code === "EISDIR") {
      throw new ColzError("ERR_NOT_A_CONTAINER", `${abs} is a directory, not a zip store`, { cause: e });
    }
    throw ioError(e, `cannot open zip store ${abs}`);
  }
  // open(2) succeeds on a directory in read-only mode; reads would then fail with EISDIR.
  if ((await fh.stat()).isDirectory()) {
    await fh.close();
    throw new ColzError("ERR_NOT_A_CONTAINER", `${abs} is a directory, not a zip store`);
  }
  return fh;
}

/**
 * Atomically puts an empty archive (a lone EOCD) at `abs` (temp file, fsync, rename, fsync of
 * the directory), replacing whatever is there.
 *
 * @example
 * await writeEmptyArchive("/data/t.zip", true);
 */
export async function writeEmptyArchive(abs: string, sync: boolean): Promise<void> {
  const temp = tempPath(abs);
  try {
    const fh = await fsp.open(temp, "wx", 0o644);
    try {
      await writeAllAt(fh, [encodeEnd(0, 0, 0)], 0);
      if (sync) await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(temp, abs);
    if (sync) await fsyncDir(path.dirname(abs));
  } catch (e) {
    await fsp.unlink(temp).catch(() => undefined);
    throw ioError(e, `cannot create zip store ${abs}`);
  }
}

/**
 * A unique temp path beside the archive, recognisable as ours after a crash.
 *
 * @example
 * tempPath("/data/t.zip"); // "/data/t.zip.colz-tmp-4242-9f1c2a7b3e11"
 */
export function tempPath(abs: string): string {
  return `${abs}.colz-tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
}

/**
 * Deletes `<file>.colz-tmp-*` left by a crashed writer (the caller holds the lock: none is live).
 *
 * @example
 * await removeStaleTemps("/data/t.zip");
 */
export async function removeStaleTemps(abs: string): Promise<void> {
  const dir = path.dirname(abs);
  const prefix = `${path.basename(abs)}.colz-tmp-`;
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const name of names) if (name.startsWith(prefix)) await fsp.unlink(path.join(dir, name)).catch(() => undefined);
}

/**
 * Reads exactly `length` bytes at `offset`; ERR_CORRUPT_META naming the offset when the file ends first.
 *
 * @example
 * const bytes = await readerOf(fh, "/data/t.zip")(0, 30);
 */
export function readerOf(fh: FileHandle, description: string): (offset: number, length: number) => Promise<Uint8Array> {
  return async (offset, length) => {
    const out = await readFully(fh, offset, length);
    if (out.length < length) {
      throw new ColzError(
        "ERR_CORRUPT_META",
        `${description}: unexpected end of file at offset ${offset + out.length}`,
      );
    }
    return out;
  };
}

/**
 * A ByteSource over an open archive of `size` bytes.
 *
 * @example
 * const commit = await findLastCommit(fileSource(fh, size, "/data/t.zip"));
 */
export function fileSource(fh: FileHandle, size: number, description: string): ByteSource {
  return { description, size, read: readerOf(fh, description) };
}
