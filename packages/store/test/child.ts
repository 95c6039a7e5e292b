import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A running child with its stdout lines. */
export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line matching `re` (or rejects when the child exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the child has exited (stdout fully read). */
  exited: Promise<void>;
  stderr(): string;
}

/**
 * Spawns `node test/children/<script> ...args` with piped stdout.
 *
 * @example
 * const c = startChild("lock-holder.mjs", [bundle, root, "zip"]); await c.waitFor(/^locked/);
 */
export function startChild(script: string, args: string[]): Child {
  const file = fileURLToPath(new URL(`children/${script}`, import.meta.url));
  const proc = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let err = "";
  let partial = "";
  const waiters: { re: RegExp; ok: (l: string) => void }[] = [];
  proc.stdout?.setEncoding("utf8");
  proc.stdout?.on("data", (chunk: string) => {
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
  proc.stderr?.setEncoding("utf8");
  proc.stderr?.on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<void>((ok) => proc.on("close", () => ok()));
  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    waitFor(re, timeoutMs = 20_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((ok, fail) => {
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
