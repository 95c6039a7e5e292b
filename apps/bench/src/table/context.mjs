// What every phase of `bench table` shares: the timing settings, the measurement and check
// records, and a real gc() between samples.
import { spawnSync } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { errorMessage } from "../codec/impls.mjs";
import { mbPerSec, measureAsync, measureSync } from "../lib/timing.mjs";

/** @typedef {import("../lib/timing.mjs").TimingOptions} TimingOptions */
/** @typedef {import("../lib/timing.mjs").Timing & { mbps: number, bytes: number, peakRssMB: number } | { error: string }} Measurement */
/** @typedef {{ name: string, ok: boolean, error?: string }} Check */

/**
 * A real gc() between samples: each sample of a 50M-row run leaves 400-800 MB of garbage, which
 * would otherwise be collected inside the next sample (and pile up towards the memory limit).
 * `node --expose-gc` is not needed: the flag can still be set at run time.
 * @returns {() => void}
 */
function exposeGc() {
  const g = /** @type {any} */ (globalThis).gc;
  if (typeof g === "function") return g;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc");
  } catch {
    return () => {};
  }
}

/** Flushes dirty pages (untimed), so a write sample does not pay for the previous one's writeback. */
export function syncDisks() {
  spawnSync("sync", { stdio: "ignore" });
}

/** The process's peak RSS so far, MB: recorded with each measurement to show which one sets it. */
const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** @param {unknown} cond @param {string} msg @returns {asserts cond} */
export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/**
 * @param {number} reps samples per measurement
 * @param {(s: string) => void} log
 */
export function createContext(reps, log) {
  const gc = exposeGc();
  /** @type {Record<string, Measurement>} */
  const measurements = {};
  /** @type {Check[]} */
  const checks = [];
  /** @type {Record<string, any>} */
  const info = {};
  // minSampleMs 0: one call per sample, and the calibration pass is one untimed call that warms
  // caches and code; then `reps` samples. These operations take 10 ms to seconds each.
  /** @type {TimingOptions} */
  const timing = { reps, minSampleMs: 0, warmup: 0, beforeSample: gc };

  return {
    gc,
    log,
    measurements,
    checks,
    info,
    /**
     * Times a synchronous call over `bytes` of data; a failure is recorded, not thrown.
     * @param {string} name @param {number} bytes @param {() => unknown} fn @param {Partial<TimingOptions>} [over]
     */
    timeSync(name, bytes, fn, over = {}) {
      log(`  ${name}`);
      try {
        const r = measureSync(fn, { ...timing, ...over });
        measurements[name] = { ...r, bytes, mbps: mbPerSec(bytes, r.medianNs), peakRssMB: peakRssMB() };
      } catch (e) {
        measurements[name] = { error: errorMessage(e) };
      }
    },
    /**
     * @param {string} name @param {number} bytes @param {() => Promise<unknown>} fn @param {Partial<TimingOptions>} [over]
     */
    async timeAsync(name, bytes, fn, over = {}) {
      log(`  ${name}`);
      try {
        const r = await measureAsync(fn, { ...timing, ...over });
        measurements[name] = { ...r, bytes, mbps: mbPerSec(bytes, r.medianNs), peakRssMB: peakRssMB() };
      } catch (e) {
        measurements[name] = { error: errorMessage(e) };
      }
    },
    /**
     * Runs a correctness check (untimed); a failure is recorded, not thrown.
     * @param {string} name @param {() => Promise<unknown> | unknown} fn
     */
    async check(name, fn) {
      try {
        await fn();
        checks.push({ name, ok: true });
      } catch (e) {
        checks.push({ name, ok: false, error: errorMessage(e) });
      }
    },
  };
}

/** @typedef {ReturnType<typeof createContext>} Context */
