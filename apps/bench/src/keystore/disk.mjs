// What a flavor leaves on disk (files, directories, bytes like `du`), free space, and dropping
// the OS page cache where the OS lets us.
import { spawnSync } from "node:child_process";
import { lstatSync, opendirSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * @typedef {object} DiskUsage
 * @property {number} files     regular files
 * @property {number} dirs      directories, the root included
 * @property {number} bytes     allocated bytes: the sum of st_blocks * 512 over files and directories (du)
 * @property {number} fileBytes the sum of the regular files' sizes (apparent size)
 */

/**
 * Walks `root` without following symlinks, one directory open at a time.
 * @param {string} root
 * @returns {DiskUsage}
 */
export function diskUsage(root) {
  const usage = { files: 0, dirs: 0, bytes: 0, fileBytes: 0 };
  const stack = [root];
  while (stack.length > 0) {
    const dir = /** @type {string} */ (stack.pop());
    const st = lstatSync(dir);
    usage.dirs++;
    usage.bytes += st.blocks * 512;
    const d = opendirSync(dir);
    try {
      for (let e = d.readSync(); e !== null; e = d.readSync()) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          stack.push(p);
          continue;
        }
        const s = lstatSync(p);
        usage.bytes += s.blocks * 512;
        if (s.isFile()) {
          usage.files++;
          usage.fileBytes += s.size;
        }
      }
    } finally {
      d.closeSync();
    }
  }
  return usage;
}

/** Free bytes for an unprivileged user on the file system holding `path`, or NaN. @param {string} path */
export function freeBytes(path) {
  try {
    const s = statfsSync(path);
    return s.bavail * s.bsize;
  } catch {
    return Number.NaN;
  }
}

/**
 * Whether this process may drop the page cache, and why not. Nothing is changed.
 * @returns {{ possible: boolean, reason: string }}
 */
export function dropCachesSupport() {
  if (process.platform !== "linux") {
    return {
      possible: false,
      reason: `not possible on ${process.platform} (only Linux's /proc/sys/vm/drop_caches is supported)`,
    };
  }
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return { possible: false, reason: "not possible here: needs root (writes /proc/sys/vm/drop_caches)" };
  }
  return { possible: true, reason: "root on Linux" };
}

/**
 * sync(1), then `3` into /proc/sys/vm/drop_caches (page cache, dentries and inodes). Never throws.
 * @returns {{ ok: boolean, reason: string, ms: number }}
 */
export function dropCaches() {
  const t0 = performance.now();
  const support = dropCachesSupport();
  if (!support.possible) return { ok: false, reason: support.reason, ms: 0 };
  const s = spawnSync("sync", [], { stdio: "ignore" });
  if (s.status !== 0) return { ok: false, reason: `sync failed (${s.error?.message ?? `exit ${s.status}`})`, ms: 0 };
  try {
    writeFileSync("/proc/sys/vm/drop_caches", "3\n");
  } catch (e) {
    const err = /** @type {NodeJS.ErrnoException} */ (e);
    const why =
      err.code === "EROFS" || err.code === "EACCES" || err.code === "EPERM"
        ? " (a container without CAP_SYS_ADMIN or with a read-only /proc/sys cannot drop the host's cache)"
        : "";
    return {
      ok: false,
      reason: `not possible here: writing /proc/sys/vm/drop_caches failed: ${err.code ?? err.message}${why}`,
      ms: 0,
    };
  }
  return { ok: true, reason: "dropped (sync; echo 3 > /proc/sys/vm/drop_caches)", ms: performance.now() - t0 };
}
