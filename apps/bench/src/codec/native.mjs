// Native c-blosc (python3-blosc) in ONE long-lived child process, driven case by case over a
// JSON-lines protocol so each native measurement runs right before the JS ones on the same chunk.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "native_blosc.py");
export const INSTALL_HINT = "apt-get install -y python3-blosc python3-numpy";

/**
 * @typedef {object} NativeCase
 * @property {string} id
 * @property {string} input       file holding the uncompressed bytes
 * @property {number} typesize
 * @property {number} clevel
 * @property {string} cname
 * @property {string | null} oursChunk   file holding the chunk blosc-wasm wrote, if any
 * @property {string} nativeOut   where the native chunk is written
 */

/**
 * Is `python` present with blosc + numpy importable? Returns the reason when not.
 * @param {string} python
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function probeNative(python) {
  if (python.startsWith("/") && !existsSync(python)) return { ok: false, reason: `${python} not found` };
  const r = spawnSync(python, ["-c", "import blosc, numpy"], { encoding: "utf8", timeout: 60_000 });
  if (r.error) return { ok: false, reason: r.error.message };
  if (r.status !== 0) {
    const last = (r.stderr || "").trim().split("\n").pop() || `exit ${r.status}`;
    return { ok: false, reason: last };
  }
  return { ok: true };
}

export class NativeBlosc {
  /** @param {string} python */
  constructor(python) {
    this.child = spawn(python, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    this.stderr = "";
    this.child.stderr.on("data", (d) => {
      this.stderr += String(d);
    });
    /** @type {Array<{ resolve: (v: any) => void, reject: (e: Error) => void }>} */
    this.waiting = [];
    /** @type {string[]} */
    this.lines = [];
    /** @type {Error | undefined} */
    this.dead = undefined;
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      const w = this.waiting.shift();
      if (w) w.resolve(JSON.parse(line));
      else this.lines.push(line);
    });
    const fail = (/** @type {string} */ why) => {
      const tail = this.stderr.trim().split("\n").slice(-3).join(" | ");
      this.dead = new Error(`native child ${why}${tail ? `: ${tail}` : ""}`);
      for (const w of this.waiting.splice(0)) w.reject(this.dead);
    };
    this.child.on("error", (e) => fail(`failed: ${e.message}`));
    this.child.on("exit", (code, sig) => fail(`exited (${sig ?? code})`));
  }

  /** @returns {Promise<any>} next reply line */
  next() {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(JSON.parse(line));
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** The greeting: { available, bloscVersion, ... } or { available: false, error }. */
  hello() {
    return this.next();
  }

  /**
   * Compresses, saves, times and cross-checks one case in the child.
   * @param {NativeCase} c
   * @param {{ reps: number, minSampleMs: number, warmup: number }} timing
   */
  runCase(c, timing) {
    if (this.dead) return Promise.reject(this.dead);
    const req = {
      reps: timing.reps,
      min_sample_ms: timing.minSampleMs,
      warmup: timing.warmup,
      case: {
        id: c.id,
        input: c.input,
        typesize: c.typesize,
        clevel: c.clevel,
        shuffle: 1,
        cname: c.cname,
        ours_chunk: c.oursChunk,
        native_out: c.nativeOut,
      },
    };
    this.child.stdin.write(`${JSON.stringify(req)}\n`);
    return this.next();
  }

  close() {
    if (!this.dead) this.child.stdin.end();
  }
}
