// Timing helpers: warm up, calibrate an inner loop so one sample lasts at least `minSampleMs`,
// then take `reps` samples and report the median time per call.

/**
 * @typedef {object} TimingOptions
 * @property {number} reps         samples to take (the median of these is reported)
 * @property {number} minSampleMs  each sample repeats the call until it lasts at least this long
 * @property {number} [warmup]     untimed calls before calibration (default 2)
 * @property {() => unknown} [beforeSample] untimed, before every warm-up call, calibration pass and
 *   sample (awaited by measureAsync): resets state between large operations (a fresh output
 *   directory, a garbage collection) so that work is not billed to the next sample
 */

/**
 * @typedef {object} Timing
 * @property {number} medianNs  median nanoseconds per call
 * @property {number} minNs     fastest sample, nanoseconds per call
 * @property {number} maxNs     slowest sample, nanoseconds per call
 * @property {number} reps      samples taken
 * @property {number} inner     calls per sample
 */

const now = () => process.hrtime.bigint();

/** @param {number[]} xs */
export function median(xs) {
  const finite = xs.filter((x) => Number.isFinite(x));
  if (finite.length === 0) return Number.NaN;
  const s = [...finite].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Next inner-loop count: aim 20% past the target from the last measurement, at least doubling
 * and at most x16 per step so one noisy fast sample cannot blow up the loop.
 * @param {number} k @param {number} elapsedNs @param {number} targetNs
 */
function nextInner(k, elapsedNs, targetNs) {
  const est = Math.ceil((k * targetNs * 1.2) / Math.max(elapsedNs, 1));
  return Math.min(k * 16, Math.max(k * 2, est));
}

/** @param {number[]} perCall @param {number} inner @returns {Timing} */
function summarize(perCall, inner) {
  return {
    medianNs: median(perCall),
    minNs: Math.min(...perCall),
    maxNs: Math.max(...perCall),
    reps: perCall.length,
    inner,
  };
}

/**
 * Times a synchronous function. Exceptions propagate (callers record them per implementation).
 * @param {() => unknown} fn
 * @param {TimingOptions} opts
 * @returns {Timing}
 */
export function measureSync(fn, { reps, minSampleMs, warmup = 2, beforeSample = () => {} }) {
  for (let i = 0; i < warmup; i++) {
    beforeSample();
    fn();
  }
  const targetNs = minSampleMs * 1e6;
  let k = 1;
  for (;;) {
    beforeSample();
    const t0 = now();
    for (let i = 0; i < k; i++) fn();
    const dt = Number(now() - t0);
    if (dt >= targetNs || k >= 1 << 24) break;
    k = nextInner(k, dt, targetNs);
  }
  const perCall = [];
  for (let r = 0; r < reps; r++) {
    beforeSample();
    const t0 = now();
    for (let i = 0; i < k; i++) fn();
    perCall.push(Number(now() - t0) / k);
  }
  return summarize(perCall, k);
}

/**
 * Times an async function (awaited one call at a time, as a user would call it).
 * @param {() => Promise<unknown>} fn
 * @param {TimingOptions} opts
 * @returns {Promise<Timing>}
 */
export async function measureAsync(fn, { reps, minSampleMs, warmup = 2, beforeSample = () => {} }) {
  for (let i = 0; i < warmup; i++) {
    await beforeSample();
    await fn();
  }
  const targetNs = minSampleMs * 1e6;
  let k = 1;
  for (;;) {
    await beforeSample();
    const t0 = now();
    for (let i = 0; i < k; i++) await fn();
    const dt = Number(now() - t0);
    if (dt >= targetNs || k >= 1 << 24) break;
    k = nextInner(k, dt, targetNs);
  }
  const perCall = [];
  for (let r = 0; r < reps; r++) {
    await beforeSample();
    const t0 = now();
    for (let i = 0; i < k; i++) await fn();
    perCall.push(Number(now() - t0) / k);
  }
  return summarize(perCall, k);
}

/**
 * Throughput in MB/s (1 MB = 10^6 bytes) of `nbytes` processed per call.
 * @param {number} nbytes @param {number} ns
 */
export function mbPerSec(nbytes, ns) {
  return ns > 0 ? nbytes / 1e6 / (ns / 1e9) : Number.NaN;
}
