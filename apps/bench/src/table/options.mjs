// Command-line options of `bench table`.
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";

export const CNAMES = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];
export const DEFAULT_ROWS = 50_000_000;
export const QUICK_ROWS = 2_000_000;

export const USAGE = `usage: bench table [options]

Writes a table (a float64 price random walk in cents and a sorted int64 timestamp column) once
to a temporary directory, then measures, as ratios in one run: a full column scan vs a plain
copy, where() at 1% selectivity vs a full scan, append throughput vs fs writes of the same bytes,
toArrow vs apache-arrow's tableFromIPC of an uncompressed IPC file. Prints a table and saves
JSON + Markdown.

  --rows N              rows, default 50m (k = 10^3, m = 10^6; 50m = 50,000,000)
  --quick               2m rows and 3 reps (smoke test; numbers are rough)
  --reps N              timed samples per measurement (median reported), default 5 (quick: 3)
  --batch N             rows per CTable.append call in the append test, default 1m
  --cname NAME          codec of the table, default lz4 (${CNAMES.join(", ")})
  --clevel N            compression level 0..9, default 5
  --seed N              data seed, default 42
  --tmp DIR             where the data is written, default ${tmpdir()} (needs ~3.5x the raw data size free)
  --keep                keep the data directory (its path is printed)
  --out DIR             results directory, default apps/bench/results
  -h, --help            this text`;

/**
 * @typedef {object} TableOptions
 * @property {boolean} quick
 * @property {number} rows
 * @property {number} reps
 * @property {number} batch
 * @property {string} cname
 * @property {number} clevel
 * @property {number} seed
 * @property {string} tmp
 * @property {boolean} keep
 * @property {string | undefined} out
 * @property {boolean} help
 */

/**
 * "50m" -> 50000000, "2k" -> 2000, "1_000" -> 1000: row counts are decimal (unlike byte sizes).
 * @param {string} name @param {string} s
 */
export function parseCount(name, s) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([km]?)\s*$/i.exec(s.replace(/_/g, ""));
  const n = m ? Math.round(Number(m[1]) * ({ "": 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()] ?? 1)) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive count like 2m or 50000, got ${s}`);
  return n;
}

/** @param {string} name @param {string | undefined} v @param {number} lo @param {number} hi */
function intOpt(name, v, lo, hi) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`--${name} must be an integer ${lo}..${hi}, got ${v}`);
  return n;
}

/**
 * @param {string[]} argv arguments after the subcommand
 * @returns {TableOptions}
 */
export function parseTableOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      quick: { type: "boolean", default: false },
      rows: { type: "string" },
      reps: { type: "string" },
      batch: { type: "string", default: "1m" },
      cname: { type: "string", default: "lz4" },
      clevel: { type: "string", default: "5" },
      seed: { type: "string", default: "42" },
      tmp: { type: "string", default: tmpdir() },
      keep: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const quick = values.quick ?? false;
  const cname = values.cname ?? "lz4";
  if (!CNAMES.includes(cname)) throw new Error(`unknown cname "${cname}" (${CNAMES.join(", ")})`);
  const rows = values.rows !== undefined ? parseCount("rows", values.rows) : quick ? QUICK_ROWS : DEFAULT_ROWS;
  // where() selects 1% of the rows: below 100 rows there is nothing to select.
  if (rows < 100) throw new Error(`--rows must be at least 100, got ${rows}`);
  return {
    quick,
    rows,
    reps: values.reps !== undefined ? intOpt("reps", values.reps, 1, 1000) : quick ? 3 : 5,
    batch: parseCount("batch", values.batch ?? "1m"),
    cname,
    clevel: intOpt("clevel", values.clevel, 0, 9),
    seed: intOpt("seed", values.seed, 0, 2 ** 32 - 1),
    tmp: values.tmp ?? tmpdir(),
    keep: values.keep ?? false,
    out: values.out,
    help: values.help ?? false,
  };
}
