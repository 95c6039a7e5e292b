#!/usr/bin/env node
// colz benchmarks: `node src/cli.mjs <benchmark> [options]` (or `pnpm bench <benchmark>`).
// Each benchmark lives in its own folder and exports `main(argv) -> Promise<exitCode>`.

/** @type {Record<string, { describe: string, load: () => Promise<{ main(argv: string[]): Promise<number> }> }>} */
const COMMANDS = {
  codec: {
    describe: "blosc-wasm vs native c-blosc, numcodecs, lz4-napi and memcpy: MB/s and ratios",
    load: () => import("./codec/index.mjs"),
  },
  keystore: {
    describe: "the bcolz key-store workload: colz KeyStore vs raw files, zlib, Arrow IPC, zarrita",
    load: () => import("./keystore/index.mjs"),
  },
  table: {
    describe: "CTable scan, where(), append and toArrow vs plain copies, fs writes and Arrow IPC: ratios",
    load: () => import("./table/index.mjs"),
  },
};

function usage() {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.describe}`);
  return `usage: bench <benchmark> [options]   (bench <benchmark> --help for its options)\n\n${lines.join("\n")}`;
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === "-h" || name === "--help") {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
const cmd = COMMANDS[name];
if (!cmd) {
  console.error(`bench: unknown benchmark "${name}"\n\n${usage()}`);
  process.exit(2);
}
try {
  const code = await (await cmd.load()).main(rest);
  process.exitCode = code;
} catch (e) {
  console.error(`bench ${name}: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
}
