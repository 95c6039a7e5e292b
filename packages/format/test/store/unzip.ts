import { spawnSync } from "node:child_process";

function available(cmd: string): boolean {
  const r = spawnSync(cmd, ["-v"], { encoding: "utf8" });
  return r.error === undefined && r.status === 0;
}

/** True when Info-ZIP `unzip` is installed; tests that need it skip (with a visible note) otherwise. */
export const hasUnzip = available("unzip");
/** True when Info-ZIP `zip` is installed. */
export const hasZip = available("zip");

if (!hasUnzip) console.warn("[colz tests] `unzip` is not installed: the unzip -l / -t checks are SKIPPED");
if (!hasZip) console.warn("[colz tests] `zip` is not installed: the foreign-archive checks are SKIPPED");

/**
 * Runs `unzip` with `args` and returns its exit status and output.
 *
 * @example
 * const { status, out } = unzip(["-t", file]);
 */
export function unzip(args: string[]): { status: number | null; out: string } {
  const env = { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
  const r = spawnSync("unzip", args, { encoding: "utf8", maxBuffer: 64 << 20, env });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The member names `unzip -Z1` lists (one per line). */
export function unzipNames(file: string): string[] {
  const r = unzip(["-Z1", file]);
  if (r.status !== 0) throw new Error(`unzip -Z1 failed: ${r.out}`);
  return r.out.split("\n").filter((l) => l !== "");
}
