// `bench table`: entry point wiring options, the run, the report and the saved results.
import { loadavg, release, totalmem } from "node:os";
import { packageVersion } from "../codec/impls.mjs";
import { log, machineEnv, parseOrUsage, startRun } from "../lib/bench-main.mjs";
import { saveResults } from "../lib/results.mjs";
import { parseTableOptions, USAGE } from "./options.mjs";
import { buildReport } from "./report.mjs";
import { runTableBench } from "./run.mjs";

/**
 * @param {string[]} argv arguments after `table`
 * @returns {Promise<number>} exit code: 0, or 1 when a measurement failed or a check found wrong data
 */
export async function main(argv) {
  const parsed = parseOrUsage("table", parseTableOptions, USAGE, argv);
  if ("exit" in parsed) return parsed.exit;
  const opts = parsed.opts;
  const { started, load, busy } = startRun();
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
      ...machineEnv(),
      memoryGB: Math.round(totalmem() / 1e8) / 10,
      kernel: release(),
      loadAverage: load,
      loadAverageEnd: loadEnd,
      // Judged at the start only: by the end the load average includes this run's own threads
      // (main thread, libuv's fs pool, `sync`), which alone can exceed half of a small machine.
      busy,
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
