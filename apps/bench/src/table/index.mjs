// `bench table`: entry point wiring options, the run, the report and the saved results.
import { cpus, loadavg, release, totalmem } from "node:os";
import { packageVersion } from "../codec/impls.mjs";
import { saveResults } from "../lib/results.mjs";
import { parseTableOptions, USAGE } from "./options.mjs";
import { buildReport } from "./report.mjs";
import { runTableBench } from "./run.mjs";

/**
 * @param {string[]} argv arguments after `table`
 * @returns {Promise<number>} exit code: 0, or 1 when a measurement failed or a check found wrong data
 */
export async function main(argv) {
  let opts;
  try {
    opts = parseTableOptions(argv);
  } catch (e) {
    console.error(`bench table: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);
  const started = new Date();
  const load = loadavg();
  const busyAt = (/** @type {number[]} */ l) => l[0] > cpus().length * 0.5;
  if (busyAt(load)) {
    log(`!!! machine busy: load average ${load[0].toFixed(2)} on ${cpus().length} cpus; timings will be noisy`);
  }
  log(
    `bench table: ${opts.rows.toLocaleString("en-US")} rows, ${opts.cname} clevel ${opts.clevel} shuffle, reps ${opts.reps}, append batch ${opts.batch.toLocaleString("en-US")} rows`,
  );
  const run = await runTableBench(opts, log);
  const loadEnd = loadavg();
  const meta = {
    timestamp: started.toISOString(),
    durationS: (Date.now() - started.getTime()) / 1000,
    options: { ...opts, help: undefined },
    env: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model?.trim() ?? "unknown",
      cpus: cpus().length,
      memoryGB: Math.round(totalmem() / 1e8) / 10,
      kernel: release(),
      loadAverage: load,
      loadAverageEnd: loadEnd,
      // Judged at the start only: by the end the load average includes this run's own threads
      // (main thread, libuv's fs pool, `sync`), which alone can exceed half of a small machine.
      busy: busyAt(load),
      versions: {
        ctable: packageVersion("@colz/ctable"),
        format: packageVersion("@colz/format"),
        bloscWasm: packageVersion("@colz/blosc-wasm"),
        apacheArrow: packageVersion("apache-arrow"),
      },
    },
  };
  const report = buildReport({ ...run, meta });
  console.log(report.text);
  const json = {
    kind: "colz-bench-table",
    schema: 1,
    ...meta,
    data: run.info,
    summary: report.summary,
    comparisons: report.comparisons,
    measurements: run.measurements,
    checks: { passed: run.checks.length - report.failed, failed: report.failed, all: run.checks },
    errors: report.errors,
  };
  const paths = saveResults("table", json, report.markdown, { dir: opts.out, date: started });
  console.log(`\nsaved ${paths.json}\n      ${paths.md}\n      (and table-latest.json / table-latest.md)`);
  return report.failed > 0 || report.errors.length > 0 ? 1 : 0;
}
