import { randomBytes } from "node:crypto";
import { lstat, open, rename, rm, stat } from "node:fs/promises";
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
  const aside = `${tmpPath}.old`;
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
  await checkOutputPath(finalPath, options.force);
  const tmpPath = join(
    dirname(resolve(finalPath)),
    `.${basename(finalPath)}.colz-tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
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
