// Command-line options of `bench codec`.
import { parseArgs } from "node:util";
import { DATASETS } from "../lib/data.mjs";
import { parseList, parseSize } from "../lib/format.mjs";

export const CNAMES = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];

export const USAGE = `usage: bench codec [options]

Compares @colz/blosc-wasm with native c-blosc (python3-blosc, 1 thread), numcodecs (npm),
lz4-napi and a plain copy on the same seeded chunks; prints tables and saves JSON + Markdown.

  --quick               few, short samples (smoke test; numbers are rough)
  --sizes LIST          chunk sizes, default 256k,8m
  --cnames LIST         codecs, default lz4,blosclz,zstd (also lz4hc, zlib)
  --data LIST           datasets, default all: ${DATASETS.map((d) => d.name).join(",")}
  --clevel N            compression level 0..9, default 5
  --reps N              timed samples per measurement (median reported), default 9 (quick: 3)
  --min-sample-ms N     each sample loops the call for at least N ms, default 20 (quick: 4)
  --seed N              data seed, default 42
  --python PATH         python with blosc + numpy, default $COLZ_BENCH_PYTHON or /usr/bin/python3
  --no-native           skip native c-blosc
  --out DIR             results directory, default apps/bench/results
  --strict              exit 1 when a cross-decode check fails
  -h, --help            this text`;

/**
 * @typedef {object} CodecOptions
 * @property {boolean} quick
 * @property {number[]} sizes
 * @property {string[]} cnames
 * @property {string[]} data
 * @property {number} clevel
 * @property {number} reps
 * @property {number} minSampleMs
 * @property {number} warmup
 * @property {number} seed
 * @property {string} python
 * @property {boolean} native
 * @property {string | undefined} out
 * @property {boolean} strict
 * @property {boolean} help
 */

/** @param {string} name @param {string | undefined} v @param {number} lo @param {number} hi */
function intOpt(name, v, lo, hi) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`--${name} must be an integer ${lo}..${hi}, got ${v}`);
  return n;
}

/**
 * @param {string[]} argv arguments after the subcommand
 * @returns {CodecOptions}
 */
export function parseCodecOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      quick: { type: "boolean", default: false },
      sizes: { type: "string", default: "256k,8m" },
      cnames: { type: "string", default: "lz4,blosclz,zstd" },
      data: { type: "string", default: DATASETS.map((d) => d.name).join(",") },
      clevel: { type: "string", default: "5" },
      reps: { type: "string" },
      "min-sample-ms": { type: "string" },
      seed: { type: "string", default: "42" },
      python: { type: "string", default: process.env.COLZ_BENCH_PYTHON || "/usr/bin/python3" },
      "no-native": { type: "boolean", default: false },
      out: { type: "string" },
      strict: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const quick = values.quick ?? false;
  const cnames = parseList(values.cnames ?? "");
  for (const c of cnames) if (!CNAMES.includes(c)) throw new Error(`unknown cname "${c}" (${CNAMES.join(", ")})`);
  const data = parseList(values.data ?? "");
  for (const d of data) {
    if (!DATASETS.some((x) => x.name === d)) {
      throw new Error(`unknown dataset "${d}" (${DATASETS.map((x) => x.name).join(", ")})`);
    }
  }
  const sizes = parseList(values.sizes ?? "").map(parseSize);
  for (const s of sizes) if (s % 8 !== 0) throw new Error(`size ${s} must be a multiple of 8 bytes`);
  if (!sizes.length || !cnames.length || !data.length)
    throw new Error("--sizes, --cnames and --data must not be empty");
  return {
    quick,
    sizes,
    cnames,
    data,
    clevel: intOpt("clevel", values.clevel, 0, 9),
    reps: values.reps !== undefined ? intOpt("reps", values.reps, 1, 1000) : quick ? 3 : 9,
    minSampleMs:
      values["min-sample-ms"] !== undefined
        ? intOpt("min-sample-ms", values["min-sample-ms"], 0, 10000)
        : quick
          ? 4
          : 20,
    warmup: quick ? 1 : 3,
    seed: intOpt("seed", values.seed, 0, 2 ** 32 - 1),
    python: values.python ?? "/usr/bin/python3",
    native: !(values["no-native"] ?? false),
    out: values.out,
    strict: values.strict ?? false,
    help: values.help ?? false,
  };
}
