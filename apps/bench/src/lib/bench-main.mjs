// What every `bench <name>` entry point does around its own run: parse the options (printing the
// usage on error or --help), note the start and whether the machine is busy, describe the machine.
import { cpus, loadavg } from "node:os";

/** Progress lines go to stderr, so stdout holds only the report. */
export const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

/**
 * Parses `argv` with `parse`; on a bad option prints the error and the usage (exit 2), on --help
 * the usage (exit 0).
 * @template {{ help?: boolean }} T
 * @param {string} name the bench's name, for messages
 * @param {(argv: string[]) => T} parse
 * @param {string} usage
 * @param {string[]} argv
 * @returns {{ opts: T } | { exit: number }}
 */
export function parseOrUsage(name, parse, usage, argv) {
  let opts;
  try {
    opts = parse(argv);
  } catch (e) {
    console.error(`bench ${name}: ${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
    return { exit: 2 };
  }
  if (opts.help) {
    console.log(usage);
    return { exit: 0 };
  }
  return { opts };
}

/** True when the 1-minute load average is over half the CPUs: timings will be noisy. */
export function isBusy(load = loadavg()[0]) {
  return load > cpus().length * 0.5;
}

/**
 * The start of a run: its time, the load averages, and whether the machine is busy (said on stderr).
 * @returns {{ started: Date, load: number[], busy: boolean }}
 */
export function startRun() {
  const started = new Date();
  const load = loadavg();
  const busy = isBusy(load[0]);
  if (busy) {
    log(`!!! machine busy: load average ${load[0].toFixed(2)} on ${cpus().length} cpus; timings will be noisy`);
  }
  return { started, load, busy };
}

/** The machine fields every results file carries. */
export function machineEnv() {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model?.trim() ?? "unknown",
    cpus: cpus().length,
  };
}
