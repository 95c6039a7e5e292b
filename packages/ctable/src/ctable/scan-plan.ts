import type { ColumnIO } from "../carray/column-io.js";
import type { ChunkSummary, ScanStep } from "../types.js";

// Scan plans for where() and exporters: [start, stop) is cut at every chunk boundary of the
// columns involved, so every step lies inside one chunk of each column and each chunk is decoded
// once (a chunk split by another column's boundary is served from the per-column chunk cache).
// Each step carries the sidecar statistics of the chunk that holds it: min/max bound the step
// (they bound every row of the chunk file); null and NaN counts are given only when the step is
// exactly the chunk.

/** How many steps fetch their statistics concurrently (each costs two small reads). */
const STATS_CONCURRENCY = 32;

/**
 * The steps covering [start, stop) for `columns` (fallbackStep rows per step when there are none).
 *
 * @example
 * await planScan([{ name: "price", io }], 0, 10_000, 65536);
 * // [{ start: 0, stop: 4096, stats: { price: { min: 1, max: 9 } } }, ...]
 */
export async function planScan(
  columns: readonly { name: string; io: ColumnIO }[],
  start: number,
  stop: number,
  fallbackStep: number,
): Promise<ScanStep[]> {
  if (stop <= start) return [];
  const cuts = new Set<number>([start, stop]);
  const lens = new Set(columns.map((c) => c.io.main.chunklen));
  if (lens.size === 0) lens.add(fallbackStep);
  for (const L of lens) for (let b = (Math.floor(start / L) + 1) * L; b < stop; b += L) cuts.add(b);
  const bounds = [...cuts].sort((a, b) => a - b);
  const steps: ScanStep[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) steps.push({ start: bounds[k]!, stop: bounds[k + 1]!, stats: {} });
  for (let k = 0; k < steps.length; k += STATS_CONCURRENCY) {
    await Promise.all(
      steps.slice(k, k + STATS_CONCURRENCY).map(async (step) => {
        for (const c of columns) step.stats[c.name] = await summarize(c.io, step.start, step.stop);
      }),
    );
  }
  return steps;
}

async function summarize(io: ColumnIO, start: number, stop: number): Promise<ChunkSummary | undefined> {
  const L = io.main.chunklen;
  const i = Math.floor(start / L);
  if (stop > (i + 1) * L) return undefined;
  const s = await io.main.chunkStats(i);
  if (s === undefined) return undefined;
  const out: ChunkSummary = {};
  if (io.type.kind === "fixed") {
    if (s.min !== null) out.min = s.min;
    if (s.max !== null) out.max = s.max;
  }
  const rows = io.main.chunkRows(i);
  if (start === i * L && stop === i * L + rows && s.rows === rows) {
    out.nullCount = s.nulls;
    out.nanCount = s.nans;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
