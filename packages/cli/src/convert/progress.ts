import cliProgress from "cli-progress";
import type { CliContext } from "../context.js";

/** A progress bar, or nothing when stderr is not a terminal or --quiet is given. */
export interface Progress {
  /** Sets the current value. */
  update(value: number): void;
  /** Adds to the current value. */
  increment(delta: number): void;
  /** Sets the total (when it becomes known). */
  setTotal(total: number): void;
  /** Removes the bar. */
  stop(): void;
}

const NONE: Progress = { update() {}, increment() {}, setTotal() {}, stop() {} };

function formatBytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/**
 * A progress bar on stderr counting `unit`s ("bytes" are shown as kB/MB; "rows", "keys", ...
 * as counts) up to `total`.
 *
 * @example
 * const bar = startProgress(ctx, "import data.csv", size, "bytes");
 * bar.increment(chunk.length);
 * bar.stop();
 */
export function startProgress(ctx: CliContext, label: string, total: number, unit: string): Progress {
  if (!ctx.showProgress()) return NONE;
  const show = unit === "bytes" ? formatBytes : (n: number) => n.toLocaleString("en-US");
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.io.stderr,
      format: `${label} [{bar}] {percentage}% {done}/{all} ${unit === "bytes" ? "" : `${unit} `}eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
      formatValue: (v, _options, type) => (type === "value" || type === "total" ? show(v) : String(v)),
    },
    cliProgress.Presets.shades_classic,
  );
  let value = 0;
  let max = Math.max(total, 1);
  bar.start(max, 0, { done: show(0), all: show(total) });
  return {
    update(v) {
      value = v;
      bar.update(Math.min(v, max), { done: show(v), all: show(max) });
    },
    increment(delta) {
      this.update(value + delta);
    },
    setTotal(t) {
      max = Math.max(t, 1);
      bar.setTotal(max);
    },
    stop() {
      bar.stop();
    },
  };
}
