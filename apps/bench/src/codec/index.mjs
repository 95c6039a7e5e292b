// `bench codec`: entry point wiring options, the run, the report and the saved results.
import { loadavg } from "node:os";
import { log, machineEnv, parseOrUsage, startRun } from "../lib/bench-main.mjs";
import { saveResults } from "../lib/results.mjs";
import { packageVersion } from "./impls.mjs";
import { parseCodecOptions, USAGE } from "./options.mjs";
import { buildReport } from "./report.mjs";
import { runCodecBench } from "./run.mjs";

/**
 * @param {string[]} argv arguments after `codec`
 * @returns {Promise<number>} exit code
 */
export async function main(argv) {
  const parsed = parseOrUsage("codec", parseCodecOptions, USAGE, argv);
  if ("exit" in parsed) return parsed.exit;
  const opts = parsed.opts;
  const { started, busy } = startRun();
  log(
    `bench codec: sizes ${opts.sizes.join(",")} cnames ${opts.cnames.join(",")} clevel ${opts.clevel} reps ${opts.reps}`,
  );
  const run = await runCodecBench(opts, log);
  const meta = {
    timestamp: started.toISOString(),
    durationS: (Date.now() - started.getTime()) / 1000,
    options: { ...opts, help: undefined },
    env: {
      ...machineEnv(),
      loadAverage: loadavg(),
      busy,
      versions: {
        bloscWasm: packageVersion("@colz/blosc-wasm"),
        numcodecs: packageVersion("numcodecs"),
        lz4napi: packageVersion("lz4-napi"),
      },
    },
  };
  const report = buildReport({ ...run, meta });
  console.log(report.text);
  const json = {
    kind: "colz-bench-codec",
    schema: 1,
    ...meta,
    native: run.native,
    loaded: run.loaded,
    summary: report.summary,
    tables: report.tables,
    checks: report.checks,
    cases: run.cases,
  };
  const paths = saveResults("codec", json, report.markdown, { dir: opts.out, date: started });
  console.log(`\nsaved ${paths.json}\n      ${paths.md}\n      (and codec-latest.json / codec-latest.md)`);
  return opts.strict && report.checks.failed > 0 ? 1 : 0;
}
