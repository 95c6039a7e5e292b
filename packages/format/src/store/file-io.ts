/**
 * Small file helpers shared by the Node stores: full reads, full vectored writes, directory fsync.
 */
import type { FileHandle } from "node:fs/promises";
import * as fsp from "node:fs/promises";

/**
 * Reads `length` bytes at `position` into a new buffer (fewer only when the file ends first).
 *
 * @example
 * const header = await readFully(fh, 0, 16);
 */
export async function readFully(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(out, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? out : out.slice(0, done);
}

/**
 * fsyncs a directory so that renames, creates and deletes in it survive a power loss. Platforms
 * that cannot open directories for fsync (Windows) report EISDIR/EPERM; that is ignored there.
 *
 * @example
 * await fsyncDir("/data/t.bcolz/meta");
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(dir, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "EPERM") return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR" && code !== "EBADF") throw e;
  } finally {
    await fh.close();
  }
}

/**
 * Writes all of `buffers` contiguously at `position` (one writev, repeated when it writes less).
 *
 * @example
 * await writeAllAt(fh, [header, value], appendPos);
 */
export async function writeAllAt(fh: FileHandle, buffers: Uint8Array[], position: number): Promise<void> {
  const pending = buffers.filter((b) => b.length > 0);
  let pos = position;
  while (pending.length > 0) {
    const { bytesWritten } = await fh.writev(pending, pos);
    if (bytesWritten <= 0) throw new Error(`write at offset ${pos} made no progress`);
    pos += bytesWritten;
    let n = bytesWritten;
    while (n > 0 && pending.length > 0) {
      const first = pending[0] as Uint8Array;
      if (n >= first.length) {
        n -= first.length;
        pending.shift();
      } else {
        pending[0] = first.subarray(n);
        n = 0;
      }
    }
  }
}
