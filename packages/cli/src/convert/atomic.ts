import { randomBytes } from "node:crypto";
import { lstat, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { interruptible } from "../interruptible.js";

// Outputs appear complete or not at all: everything is written to a temporary name beside the
// output (same directory, so same file system and rename(2) is atomic), synced, and renamed
// into place at the end. On failure or Ctrl-C the temporary is removed.

/** What the body of an atomic write gets. */
export interface AtomicJob {
  /** Where to write: a file or directory that does not exist yet. */
  readonly tmpPath: string;
  /** Aborted on Ctrl-C: stop writing soon (between batches) by throwing. */
  readonly signal: AbortSignal;
}

/** Throws the error an aborted job stops with. */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new CliError("ERR_INTERRUPTED", "interrupted");
}

async function exists(path: string): Promise<{ isDirectory: boolean } | undefined> {
  try {
    const s = await lstat(path);
    return { isDirectory: s.isDirectory() };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Refuses an existing `path` unless `force`, and a missing parent directory: the checks every
 * command writing an output makes before doing any work.
 */
export async function checkOutputPath(path: string, force: boolean): Promise<void> {
  if (!force && (await exists(path)) !== undefined) {
    throw new CliError("ERR_EXISTS", "already exists (pass --force to replace it)", { path });
  }
  const parent = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = (await stat(parent)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new CliError("ERR_NOT_FOUND", `no such directory: ${parent}`, { path });
}

/** Best-effort fsync of a file or directory (directories: so a rename inside is durable). */
export async function fsyncPath(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the data itself was synced by its writer.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * `.<name>.colz-tmp-<pid>-<8 hex>`: a writer's temporary output (`tempPathFor`); with `.old`, the
 * old output it moved aside (`asidePathFor`); with `.lock`, the lock file of a temporary zip output.
 */
const TEMP_NAME = /^\.(.+)\.colz-tmp-(\d+)-[0-9a-f]{8}(\.old|\.lock)?$/;

/** A fresh temporary path for `finalPath`, beside it (same file system: rename(2) is atomic). */
function tempPathFor(finalPath: string): string {
  const name = `.${basename(finalPath)}.colz-tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  return join(dirname(resolve(finalPath)), name);
}

/** Where the old output goes while the output at `tmpPath` replaces it. */
function asidePathFor(tmpPath: string): string {
  return `${tmpPath}.old`;
}

/** True unless process `pid` certainly no longer exists (another user's process counts as alive). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Finishes what a writer of `finalPath` that was killed (SIGKILL, power loss) left undone: its
 * temporary output is removed, and an old output it had moved aside to replace a directory
 * (--force) goes back in place when the new one never arrived, or is removed when it did.
 * Temporaries of live processes are left alone. Returns one line per action, for the user.
 *
 * @example
 * for (const line of await recoverInterrupted("/data/t.bcolz")) console.error(`colz: ${line}`);
 */
export async function recoverInterrupted(finalPath: string): Promise<string[]> {
  const dir = dirname(resolve(finalPath));
  const base = basename(finalPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no directory: checkOutputPath reports it
  }
  const asides: { path: string; ctimeMs: number }[] = [];
  const temps = new Set<string>();
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (m === null || m[1] !== base || isAlive(Number(m[2]))) continue;
    const path = join(dir, name);
    // ctime: a rename updates it, so the aside moved last is the newest.
    if (m[3] === ".old") asides.push({ path, ctimeMs: (await lstat(path)).ctimeMs });
    else temps.add(m[3] === ".lock" ? path.slice(0, -".lock".length) : path); // removeTemp takes both
  }
  const done: string[] = [];
  for (const t of temps) {
    await removeTemp(t);
    done.push(`removed ${t}, left by an interrupted write`);
  }
  // Newest first: with the output missing, the latest old output is what was last committed.
  asides.sort((a, b) => b.ctimeMs - a.ctimeMs);
  for (const { path } of asides) {
    if ((await exists(finalPath)) === undefined) {
      await rename(path, finalPath);
      await fsyncPath(dir);
      done.push(`restored ${finalPath}: a replace was interrupted before the new output was in place`);
    } else {
      await rm(path, { recursive: true, force: true });
      done.push(`removed ${path}, the old output of an interrupted replace`);
    }
  }
  return done;
}

async function removeTemp(tmpPath: string): Promise<void> {
  await rm(tmpPath, { recursive: true, force: true });
  // A ZipStore holds `<file>.lock` while open; a writer stopped mid-way may leave it.
  await rm(`${tmpPath}.lock`, { force: true });
}

async function replace(tmpPath: string, finalPath: string, tmpIsDir: boolean): Promise<void> {
  const old = await exists(finalPath);
  if (old === undefined || (!tmpIsDir && !old.isDirectory)) {
    await rename(tmpPath, finalPath); // atomic, also over an existing file
    return;
  }
  // rename(2) cannot replace a non-empty directory: move the old one aside first. For a moment
  // neither exists; the new output is complete when it appears.
  const aside = asidePathFor(tmpPath);
  await rename(finalPath, aside);
  await rename(tmpPath, finalPath);
  await rm(aside, { recursive: true, force: true });
}

/**
 * Runs `body` writing to a temporary path beside `finalPath`, then renames it into place.
 * `finalPath` must not exist unless `force` (ERR_EXISTS naming it). On failure or Ctrl-C the
 * temporary is removed, so the output is complete or absent.
 *
 * @example
 * await writeAtomically(ctx, "out.arrow", { force: false }, async ({ tmpPath, signal }) => {
 *   await writeFile(tmpPath, bytes, { signal });
 * });
 */
export async function writeAtomically<T>(
  ctx: CliContext,
  finalPath: string,
  options: { force: boolean },
  body: (job: AtomicJob) => Promise<T>,
): Promise<T> {
  for (const line of await recoverInterrupted(finalPath)) {
    if (!ctx.globals().quiet) ctx.io.stderr.write(`colz: ${line}\n`);
  }
  await checkOutputPath(finalPath, options.force);
  const tmpPath = tempPathFor(finalPath);
  const job = interruptible(ctx, () => removeTemp(tmpPath));
  try {
    const result = await body({ tmpPath, signal: job.signal });
    throwIfInterrupted(job.signal);
    const tmpIsDir = (await exists(tmpPath))?.isDirectory ?? false;
    if (!tmpIsDir) await fsyncPath(tmpPath);
    await replace(tmpPath, finalPath, tmpIsDir);
    await fsyncPath(dirname(resolve(finalPath)));
    return result;
  } catch (e) {
    await removeTemp(tmpPath).catch(() => undefined);
    throw e;
  } finally {
    job.done();
  }
}
