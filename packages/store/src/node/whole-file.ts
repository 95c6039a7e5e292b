import * as fs from "node:fs";
import { ColzError } from "@colz/format/node";

// Small zip values are read and written whole with synchronous calls: one open, one fstat, one
// read (or write), one close. Each libuv round trip of the async API costs a thread hop and a
// turn of the event loop, which for a 0.5 MB value is more than the copy itself; and reading the
// whole file at once replaces a read per member (central directory, every metadata file, every
// chunk). The event loop is blocked for the time of one memcpy from the page cache.

/** Values up to this size are read whole (getColumns); larger ones are read member by member. */
export const WHOLE_READ_LIMIT = 64 << 20;

/** Read buffers up to this size are kept for the next read (fresh memory costs page faults). */
const KEEP_BUFFER_LIMIT = 16 << 20;

/** Read buffers kept for the next read, at most (each up to KEEP_BUFFER_LIMIT). */
const KEEP_BUFFERS = 2;

/**
 * Reuses read buffers: `take` hands one out, `give` returns it. Concurrent readers each get
 * their own buffer, so an async caller may hold one across awaits. The largest buffers are the
 * ones kept: with values of mixed sizes, a kept small buffer would not serve the next large one.
 */
export class BufferPool {
  /** Kept buffers, shortest first. */
  private readonly free: Uint8Array[] = [];

  take(size: number): Uint8Array {
    // The shortest buffer that fits, so that the longer ones stay for larger values.
    const i = this.free.findIndex((b) => b.length >= size);
    if (i >= 0) return this.free.splice(i, 1)[0] as Uint8Array;
    // Round up so that a few sizes of values share buffers.
    return new Uint8Array(size <= KEEP_BUFFER_LIMIT ? Math.max(1 << 16, 2 ** Math.ceil(Math.log2(size))) : size);
  }

  give(buffer: Uint8Array): void {
    if (buffer.length > KEEP_BUFFER_LIMIT) return;
    // Before any kept buffer of its length, so that when one must go, an equal kept one stays.
    const at = this.free.findIndex((b) => b.length >= buffer.length);
    this.free.splice(at < 0 ? this.free.length : at, 0, buffer);
    if (this.free.length > KEEP_BUFFERS) this.free.shift();
  }
}

/**
 * The read buffers of every zip-layout key store of the process (at most KEEP_BUFFERS of up to
 * 16 MB): a reader opened per query, as in bcolz's key-store workload, then starts with warm
 * buffers instead of fresh memory, whose page faults cost more than the read itself.
 */
export const sharedReadBuffers = new BufferPool();

/** What `readWholeFile` found. */
export type WholeFile =
  | { kind: "missing" }
  /** Too large or not a regular file: the caller takes its general path (which reports it). */
  | { kind: "other" }
  /** `bytes` is a view of a pool buffer: give `buffer` back when done. */
  | { kind: "file"; bytes: Uint8Array; buffer: Uint8Array };

/**
 * Reads the file at `file` whole into a buffer from `pool` when it is a regular file of at most
 * `limit` bytes. ERR_IO for other failures.
 *
 * @example
 * const r = readWholeFile("/data/ks/5c/kfoo.zip", WHOLE_READ_LIMIT, pool);
 */
export function readWholeFile(file: string, limit: number, pool: BufferPool): WholeFile {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "EISDIR") return { kind: "other" };
    throw new ColzError("ERR_IO", `cannot open ${file}`, { cause: e });
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > limit) return { kind: "other" };
    const buffer = pool.take(st.size);
    let done = 0;
    try {
      while (done < st.size) {
        const n = fs.readSync(fd, buffer, done, st.size - done, done);
        if (n === 0) break; // truncated meanwhile: the archive parser reports what is missing
        done += n;
      }
    } catch (e) {
      pool.give(buffer);
      throw new ColzError("ERR_IO", `cannot read ${file}`, { cause: e });
    }
    return { kind: "file", bytes: buffer.subarray(0, done), buffer };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Creates `file` (which must not exist) holding `parts` in order, written with vectored writes
 * and fsynced when `sync`. The file is removed again when writing fails.
 *
 * @example
 * writeNewFile("/data/ks/.colz-tmp/1-ab.zip", [header, data], true);
 */
export function writeNewFile(file: string, parts: readonly Uint8Array[], sync: boolean): void {
  const fd = fs.openSync(file, "wx", 0o644);
  let written = false;
  try {
    const pending = parts.filter((p) => p.length > 0);
    // IOV_MAX (1024 on Linux) bounds one writev: write in groups, each retried until complete.
    for (let start = 0; start < pending.length; ) {
      const group = pending.slice(start, start + 512);
      let left = group.reduce((n, p) => n + p.length, 0);
      while (left > 0) {
        const n = fs.writevSync(fd, group);
        if (n <= 0) throw new Error(`write to ${file} made no progress`);
        left -= n;
        advance(group, n);
      }
      start += 512;
    }
    if (sync) fs.fsyncSync(fd);
    written = true;
  } finally {
    fs.closeSync(fd);
    if (!written) fs.rmSync(file, { force: true });
  }
}

/** Drops the first `n` written bytes from the front of `group` (in place). */
function advance(group: Uint8Array[], n: number): void {
  let left = n;
  while (left > 0 && group.length > 0) {
    const first = group[0] as Uint8Array;
    if (left >= first.length) {
      left -= first.length;
      group.shift();
    } else {
      group[0] = first.subarray(left);
      left = 0;
    }
  }
}
