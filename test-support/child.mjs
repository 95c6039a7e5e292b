// Child processes for the crash, lock and concurrency tests of every package: spawn a script,
// collect its stdout lines, wait for a line. Plain JS for the same reason as fixtures-root.mjs.
import { spawn } from "node:child_process";

/**
 * Spawns `node <file> ...args` with piped stdout and stderr.
 *
 * @example
 * const c = spawnChild("/abs/path/lock-holder.mjs", [bundle, root]); await c.waitFor(/^locked/);
 * @param {string} file
 * @param {string[]} args
 * @returns {import("./child.d.mts").Child}
 */
export function spawnChild(file, args) {
  const proc = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  /** @type {string[]} */
  const lines = [];
  let err = "";
  let partial = "";
  /** @type {{ re: RegExp; ok: (l: string) => void }[]} */
  const waiters = [];
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", (chunk) => {
    partial += chunk;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.ok(line);
        }
      }
    }
  });
  proc.stderr.setEncoding("utf8");
  proc.stderr.on("data", (chunk) => {
    err += chunk;
  });
  const exited = new Promise((ok) => proc.on("close", () => ok(undefined)));
  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    waitFor(re, timeoutMs = 20_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`timeout waiting for ${re}; stderr: ${err}`)), timeoutMs);
        waiters.push({
          re,
          ok: (l) => {
            clearTimeout(timer);
            ok(l);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          fail(new Error(`child exited before ${re}; stdout: ${lines.join("|")}; stderr: ${err}`));
        });
      });
    },
  };
}
