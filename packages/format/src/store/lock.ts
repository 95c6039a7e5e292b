import { randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import * as fsp from "node:fs/promises";
import { hostname } from "node:os";
import { ColzError } from "../errors.js";
import type { WriterLock } from "./types.js";

/** What a lock file holds (JSON). `nonce` tells two locks of the same pid apart. */
export interface LockHolder {
  pid: number;
  hostname: string;
  started: string;
  nonce: string;
}

export interface FileLockOptions {
  /** Milliseconds to keep retrying while a live writer holds the lock (default 0). */
  waitMs?: number;
  /** Names the container in ERR_LOCKED messages (default: the lock path). */
  description?: string;
}

/**
 * A lock file whose content has not been written yet is normally only microseconds old; one
 * older than this is a writer that died between creating and filling it.
 */
const UNREADABLE_STALE_MS = 5_000;

/** Lock files this process holds, by path, so that our own pid is never mistaken for a stale one. */
const heldHere = new Map<string, string>();

/**
 * A cross-process writer lock: a file created with O_EXCL holding {pid, hostname, started,
 * nonce}. Whoever creates the file holds the lock until `release()`.
 *
 * Stale locks are taken over when the holder is provably dead: same hostname and
 * `process.kill(pid, 0)` fails with ESRCH; or our own pid but not a lock this process took (a
 * container restart reused the pid); or unreadable content older than 5 s (a writer killed
 * between creating and filling the file). A lock of another host is never taken over (pids mean
 * nothing there): ERR_LOCKED names the host, and an operator deletes the file by hand.
 *
 * Take-over renames the stale file to a unique name, checks that the renamed file is still the
 * stale content it inspected (another process may have replaced it in between), then deletes it
 * and retries O_EXCL. Known limit: if three processes break the same stale lock in the same
 * instant, the check can find a fresh lock, which is then linked back, and in that instant two
 * writers can both believe they hold the lock. A pid reused by an unrelated live process makes
 * a dead writer's lock look live; delete the lock file by hand then.
 *
 * @example
 * const lock = await FileLock.acquire("/data/t.bcolz/.colz-lock", { waitMs: 2000 });
 * try { ... } finally { await lock.release(); }
 */
export class FileLock implements WriterLock {
  private released = false;

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Creates `path` exclusively, recovering stale locks; ERR_LOCKED (with the holder's pid) when a
   * live writer holds it after `waitMs`.
   *
   * @example
   * const lock = await FileLock.acquire("/data/t.zip.lock");
   */
  static async acquire(path: string, options: FileLockOptions = {}): Promise<FileLock> {
    const description = options.description ?? path;
    const deadline = Date.now() + Math.max(0, options.waitMs ?? 0);
    let delay = 5;
    for (;;) {
      const holder: LockHolder = {
        pid: process.pid,
        hostname: hostname(),
        started: new Date().toISOString(),
        nonce: randomBytes(8).toString("hex"),
      };
      if (await tryCreate(path, holder)) {
        heldHere.set(path, holder.nonce);
        return new FileLock(path, holder);
      }
      const seen = await readLock(path);
      if (seen === undefined) continue; // vanished between our create and our read: retry at once
      if (isStale(path, seen)) {
        await breakStale(path, seen.raw);
        continue;
      }
      if (Date.now() >= deadline) throw lockedError(description, path, seen.holder);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 100);
    }
  }

  /**
   * Deletes the lock file if it is still ours (never someone else's). Idempotent.
   *
   * @example
   * await lock.release();
   */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (heldHere.get(this.path) === this.holder.nonce) heldHere.delete(this.path);
    const seen = await readLock(this.path);
    if (seen?.holder?.nonce !== this.holder.nonce) return;
    await fsp.unlink(this.path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw new ColzError("ERR_IO", `cannot remove lock file ${this.path}`, { cause: e });
    });
  }
}

/**
 * The holder recorded in a lock file, or undefined when there is no lock file or it is unreadable.
 *
 * @example
 * const h = await readLockHolder("/data/t.bcolz/.colz-lock"); // { pid: 4242, hostname: "db1", ... }
 */
export async function readLockHolder(path: string): Promise<LockHolder | undefined> {
  return (await readLock(path))?.holder;
}

/**
 * True when `pid` is a live process on this host (EPERM means it exists but is not ours).
 *
 * @example
 * isPidAlive(process.pid); // true
 */
export function isPidAlive(pid: number): boolean {
  // pid 0 and negative pids address process groups; never signal those.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

interface SeenLock {
  raw: string;
  holder: LockHolder | undefined;
  mtimeMs: number;
}

async function tryCreate(path: string, holder: LockHolder): Promise<boolean> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(path, "wx", 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new ColzError("ERR_IO", `cannot create lock file ${path}`, { cause: e });
  }
  try {
    await fh.writeFile(`${JSON.stringify(holder)}\n`);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.unlink(path).catch(() => undefined);
    throw new ColzError("ERR_IO", `cannot write lock file ${path}`, { cause: e });
  }
  await fh.close();
  return true;
}

async function readLock(path: string): Promise<SeenLock | undefined> {
  try {
    const [raw, st] = await Promise.all([fsp.readFile(path, "utf8"), fsp.stat(path)]);
    return { raw, holder: parseHolder(raw), mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ColzError("ERR_IO", `cannot read lock file ${path}`, { cause: e });
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof v !== "object" || v === null) return undefined;
    if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return undefined;
    if (typeof v.hostname !== "string" || typeof v.started !== "string") return undefined;
    return { pid: v.pid as number, hostname: v.hostname, started: v.started, nonce: String(v.nonce ?? "") };
  } catch {
    return undefined;
  }
}

function isStale(path: string, seen: SeenLock): boolean {
  const h = seen.holder;
  if (h === undefined) return Date.now() - seen.mtimeMs > UNREADABLE_STALE_MS;
  if (h.hostname !== hostname()) return false;
  if (h.pid === process.pid) return heldHere.get(path) !== h.nonce;
  return !isPidAlive(h.pid);
}

async function breakStale(path: string, staleRaw: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await fsp.rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return; // someone else broke it first
    throw new ColzError("ERR_IO", `cannot remove stale lock file ${path}`, { cause: e });
  }
  const raw = await fsp.readFile(aside, "utf8").catch(() => undefined);
  if (raw !== undefined && raw !== staleRaw) {
    // We moved a fresh lock that replaced the stale one after we looked: put it back.
    await fsp.link(aside, path).catch(() => undefined);
  }
  await fsp.unlink(aside).catch(() => undefined);
}

function lockedError(description: string, path: string, h: LockHolder | undefined): ColzError {
  const who =
    h === undefined
      ? "a writer that is still writing the lock file"
      : `pid ${h.pid} on host ${h.hostname} since ${h.started}`;
  return new ColzError("ERR_LOCKED", `${description} is locked by ${who} (lock file ${path})`);
}
