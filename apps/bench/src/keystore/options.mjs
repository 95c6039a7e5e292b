// Command-line options of `bench keystore`. The short options are those of the original bcolz
// key-store experiment: -f FLAVOR -m MAXROWS -k NKEYS -l NLOOKUPS -c CLEVEL -d DIR.
import { parseArgs } from "node:util";
import { parseList } from "../lib/format.mjs";
import { FLAVOR_GROUPS, flavorNames } from "./flavors.mjs";

/** Defaults of the original experiment. */
export const DEFAULTS = Object.freeze({ maxrows: 100_000, nkeys: 300, nlookups: 100, clevels: [0, 5, 9] });
/** `--big`: more data than fits in RAM on most machines (about 40 GB of raw data per flavor). */
export const BIG = Object.freeze({ maxrows: 1_000_000, nkeys: 5_000 });

export const USAGE = `usage: bench keystore [options]

The key-store workload of bcolz's original experiment: NKEYS keys, each holding two columns of the
same random length in [0, MAXROWS) (int64 uniform in [0, 1000), float64 uniform in [0, 1)), written
once per flavor; then NLOOKUPS random keys are read in full. Prints creation time, query time,
elements read, files and bytes on disk (like du) per flavor, then a side-by-side table with ratios
against the raw flavor; saves JSON, Markdown and an SVG chart under apps/bench/results/.

  -f, --flavors LIST    flavors or groups, default all. Groups: ${Object.keys(FLAVOR_GROUPS).join(", ")}.
                        Flavors: ${flavorNames([0, 5, 9]).join(", ")}
  -m, --maxrows N       rows per key are uniform in [0, N), default ${DEFAULTS.maxrows}
  -k, --nkeys N         keys, default ${DEFAULTS.nkeys}
  -l, --nlookups N      random keys read per query pass, default ${DEFAULTS.nlookups}
  -c, --clevel LIST     colz compression levels, default ${DEFAULTS.clevels.join(",")} (level 0 = stored, one flavor
                        per layout; levels > 0 run with lz4 and blosclz, byte shuffle)
  -d, --dir DIR         where the data goes: a fresh subdirectory keystore-bench-* of DIR
                        (default: the OS temp dir); removed at the end unless --keep
      --keep            keep the data directory
      --seed N          data and lookup seed, default 42
      --reps N          timed query passes per flavor (median reported), default 5
      --schedule S      interleaved (all flavors created, then query passes round-robin: fairest
                        on a noisy machine; the default) or sequential (create, query, delete one
                        flavor at a time: needs disk for one flavor only; the default with --big)
      --sync            fsync every file written, in every flavor (colz: KeyStore sync: true).
                        Default off everywhere, as numpy's savez and bcolz did
      --drop-caches     drop the OS page cache before every timed query pass (Linux, root: sync,
                        then 3 > /proc/sys/vm/drop_caches); says so when that is not possible
      --big             -m ${BIG.maxrows} -k ${BIG.nkeys}: more data than fits in RAM (prints the real size; needs --yes)
      --yes             confirm a run that writes a lot of data
      --out DIR         results directory, default apps/bench/results
  -h, --help            this text`;

/**
 * @typedef {object} KeystoreOptions
 * @property {string[]} flavors      selected flavor names, in run order
 * @property {number} maxrows
 * @property {number} nkeys
 * @property {number} nlookups
 * @property {number[]} clevels
 * @property {string | undefined} dir parent directory of the data directory
 * @property {boolean} keep
 * @property {number} seed
 * @property {number} reps
 * @property {"interleaved" | "sequential"} schedule
 * @property {boolean} sync
 * @property {boolean} dropCaches
 * @property {boolean} big
 * @property {boolean} yes
 * @property {string | undefined} out
 * @property {boolean} help
 * @property {boolean} defaults       true when m, k, l and the clevels are the experiment's defaults
 */

/** @param {string} name @param {string | undefined} v @param {number} lo @param {number} hi */
function intOpt(name, v, lo, hi) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`--${name} must be an integer ${lo}..${hi}, got ${v}`);
  return n;
}

/**
 * Expands a -f list (flavor names and group names) into flavor names, keeping the canonical order.
 * @param {string[]} items @param {number[]} clevels
 */
export function selectFlavors(items, clevels) {
  const all = flavorNames(clevels);
  if (items.length === 0 || items.includes("all")) return all;
  /** @type {Set<string>} */
  const picked = new Set();
  for (const item of items) {
    const group = FLAVOR_GROUPS[item];
    const matches = group ? all.filter((n) => group(n)) : all.filter((n) => n === item);
    if (matches.length === 0) {
      throw new Error(
        `unknown flavor "${item}" (groups: ${Object.keys(FLAVOR_GROUPS).join(", ")}; flavors: ${all.join(", ")})`,
      );
    }
    for (const m of matches) picked.add(m);
  }
  return all.filter((n) => picked.has(n));
}

/**
 * @param {string[]} argv arguments after the subcommand
 * @returns {KeystoreOptions}
 */
export function parseKeystoreOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      flavors: { type: "string", short: "f", default: "all" },
      maxrows: { type: "string", short: "m" },
      nkeys: { type: "string", short: "k" },
      nlookups: { type: "string", short: "l" },
      clevel: { type: "string", short: "c" },
      dir: { type: "string", short: "d" },
      keep: { type: "boolean", default: false },
      seed: { type: "string", default: "42" },
      reps: { type: "string", default: "5" },
      schedule: { type: "string" },
      sync: { type: "boolean", default: false },
      "drop-caches": { type: "boolean", default: false },
      big: { type: "boolean", default: false },
      yes: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const big = values.big ?? false;
  const maxrows =
    values.maxrows !== undefined ? intOpt("maxrows", values.maxrows, 1, 2 ** 31) : big ? BIG.maxrows : DEFAULTS.maxrows;
  const nkeys =
    values.nkeys !== undefined ? intOpt("nkeys", values.nkeys, 1, 10_000_000) : big ? BIG.nkeys : DEFAULTS.nkeys;
  const nlookups =
    values.nlookups !== undefined ? intOpt("nlookups", values.nlookups, 1, 10_000_000) : DEFAULTS.nlookups;
  const clevels =
    values.clevel !== undefined
      ? [...new Set(parseList(values.clevel).map((c) => intOpt("clevel", c, 0, 9)))].sort((a, b) => a - b)
      : [...DEFAULTS.clevels];
  if (clevels.length === 0) throw new Error("--clevel must not be empty");
  const schedule = values.schedule ?? (big ? "sequential" : "interleaved");
  if (schedule !== "interleaved" && schedule !== "sequential") {
    throw new Error(`--schedule must be interleaved or sequential, got ${schedule}`);
  }
  const flavors = selectFlavors(parseList(values.flavors ?? "all"), clevels);
  return {
    flavors,
    maxrows,
    nkeys,
    nlookups,
    clevels,
    dir: values.dir,
    keep: values.keep ?? false,
    seed: intOpt("seed", values.seed, 0, 2 ** 32 - 1),
    reps: intOpt("reps", values.reps, 1, 1000),
    schedule,
    sync: values.sync ?? false,
    dropCaches: values["drop-caches"] ?? false,
    big,
    yes: values.yes ?? false,
    out: values.out,
    help: values.help ?? false,
    defaults:
      maxrows === DEFAULTS.maxrows &&
      nkeys === DEFAULTS.nkeys &&
      nlookups === DEFAULTS.nlookups &&
      clevels.join(",") === DEFAULTS.clevels.join(","),
  };
}
