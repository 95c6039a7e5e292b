// `bench keystore`: entry point wiring options, the size check, the run, the report and the saved
// results (JSON, Markdown with the chart inline, and the chart as its own SVG file).
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { isBusy, log, machineEnv, parseOrUsage, startRun } from "../lib/bench-main.mjs";
import { fileTimestamp, RESULTS_DIR, saveResults } from "../lib/results.mjs";
import { keyLengths, lookupKeys, workloadSize } from "./data.mjs";
import { dropCachesSupport, freeBytes } from "./disk.mjs";
import { allFlavors } from "./flavors.mjs";
import { parseKeystoreOptions, USAGE } from "./options.mjs";
import { buildReport } from "./report.mjs";
import { runKeystoreBench } from "./run.mjs";

/** Runs estimated to write more than this need --yes. */
const CONFIRM_BYTES = 10e9;

/** @param {number} n */
const gb = (n) => `${(n / 1e9).toFixed(1)} GB`;

/** @param {string} name */
function packageVersion(name) {
  try {
    return createRequire(import.meta.url)(`${name}/package.json`).version;
  } catch {
    return "unknown";
  }
}

/**
 * How much the run writes (estimated from each flavor's typical compression ratio), what must fit
 * on disk at once, and whether to go ahead.
 * @param {import("./options.mjs").KeystoreOptions} opts
 * @returns {{ lines: string[], go: boolean }}
 */
function sizeCheck(opts) {
  const size = workloadSize(
    keyLengths(opts.nkeys, opts.maxrows, opts.seed),
    lookupKeys(opts.nkeys, opts.nlookups, opts.seed),
  );
  const flavors = allFlavors(opts.clevels).filter((f) => opts.flavors.includes(f.name));
  const per = flavors.map((f) => size.rawBytes * f.estRatio);
  const total = per.reduce((a, b) => a + b, 0);
  const peak = opts.schedule === "sequential" && !opts.keep ? Math.max(0, ...per) : total;
  const parent = resolve(opts.dir ?? tmpdir());
  const free = freeBytes(parent);
  const lines = [
    `this run writes about ${gb(total)} in total: ${gb(size.rawBytes)} of data (${opts.nkeys} keys, ` +
      `${size.rows} rows) in each of ${flavors.length} flavors, less what compression saves; ` +
      `up to ${gb(peak)} on disk at once (${opts.schedule} schedule${opts.keep ? ", --keep" : ""}) under ${parent}, ` +
      `which has ${Number.isFinite(free) ? gb(free) : "an unknown amount"} free; this machine has ${gb(totalmem())} of RAM.`,
  ];
  if (Number.isFinite(free) && peak > free * 0.95) {
    lines.push(
      `!!! not enough free space under ${parent}: pick another -d DIR, fewer flavors (-f) or --schedule sequential`,
    );
    return { lines, go: false };
  }
  if (total > CONFIRM_BYTES && !opts.yes) {
    lines.push("!!! that is a lot of data (and hours of run time): add --yes to go ahead");
    return { lines, go: false };
  }
  return { lines, go: true };
}

/**
 * @param {string[]} argv arguments after `keystore`
 * @returns {Promise<number>} exit code
 */
export async function main(argv) {
  const parsed = parseOrUsage("keystore", parseKeystoreOptions, USAGE, argv);
  if ("exit" in parsed) return parsed.exit;
  const opts = parsed.opts;
  const check = sizeCheck(opts);
  for (const l of check.lines) log(l);
  if (!check.go) return 2;
  if (opts.dropCaches) {
    const support = dropCachesSupport();
    // When it is not possible, the first query pass says so (once).
    if (support.possible) log("--drop-caches: will drop the page cache before every query pass (root on Linux)");
  }
  const { started, load: loadAtStart, busy } = startRun();
  log(
    `bench keystore: -m ${opts.maxrows} -k ${opts.nkeys} -l ${opts.nlookups} -c ${opts.clevels.join(",")} ` +
      `seed ${opts.seed}, ${opts.reps} query passes, ${opts.flavors.length} flavors: ${opts.flavors.join(", ")}`,
  );
  const run = await runKeystoreBench(opts, log);
  const meta = {
    timestamp: started.toISOString(),
    durationS: (Date.now() - started.getTime()) / 1000,
    command: `bench keystore ${argv.join(" ")}`.trim(),
    env: {
      ...machineEnv(),
      totalMemBytes: totalmem(),
      loadAverage: loadavg(),
      loadAverageAtStart: loadAtStart[0],
      busy: busy || isBusy(),
      versions: {
        apacheArrow: packageVersion("apache-arrow"),
        zarrita: packageVersion("zarrita"),
        numcodecs: packageVersion("numcodecs"),
      },
    },
  };
  const report = buildReport({ ...run, meta, opts });
  console.log(`\n${report.text}`);

  const outDir = opts.out ?? RESULTS_DIR;
  const stamp = fileTimestamp(started);
  const svgFile = `keystore-${stamp}.svg`;
  const json = {
    kind: "colz-bench-keystore",
    schema: 1,
    ...meta,
    options: { ...opts, help: undefined },
    workload: run.workload,
    dropCaches: run.drop,
    conditions: report.conditions,
    targets: report.targets,
    colzTargets: report.perColz,
    flavors: run.results,
    errors: report.errors,
  };
  const paths = saveResults("keystore", json, report.markdown(svgFile), { dir: outDir, date: started });
  writeFileSync(join(outDir, svgFile), `${report.svg}\n`);
  writeFileSync(join(outDir, "keystore-latest.svg"), `${report.svg}\n`);
  console.log(
    `\nsaved ${paths.json}\n      ${paths.md}\n      ${join(outDir, svgFile)}\n      (and keystore-latest.json / .md / .svg)`,
  );
  return report.errors.length > 0 ? 1 : 0;
}
