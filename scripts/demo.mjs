// The README's main job (until the `colz demo` command lands): compress a column of
// float64 prices with every Blosc codec, decompress it, check it, and print ratio and speed.
import { chunkInfo, compress, decompress, ready } from "@colz/blosc-wasm";

const ROWS = 4_000_000; // 32 MB of float64
const CHUNK_ROWS = 32_768; // 256 KB chunks, bcolz's usual size for this much data

function priceWalk(n, seed = 42) {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    p = Math.max(1, p + (u - 0.5) * 0.2);
    out[i] = Math.round(p * 100) / 100;
  }
  return out;
}

// Best of three passes: the first pass also pays for the OS mapping fresh output pages,
// which is not the codec's speed.
function time(fn) {
  let best = Number.POSITIVE_INFINITY;
  let r;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    r = fn();
    best = Math.min(best, performance.now() - t0);
  }
  return [r, best];
}

await ready();
const column = priceWalk(ROWS);
const bytes = column.byteLength;
console.log(
  `colz demo: ${ROWS.toLocaleString()} float64 prices (${(bytes / 1e6).toFixed(1)} MB) in ${CHUNK_ROWS}-row chunks\n`,
);
console.log("codec     clevel  shuffle     ratio   compress MB/s  decompress MB/s  check");
for (const [cname, clevel, shuffle] of [
  ["lz4", 5, "shuffle"],
  ["lz4", 5, "bitshuffle"],
  ["blosclz", 5, "shuffle"],
  ["lz4hc", 5, "shuffle"],
  ["zstd", 3, "shuffle"],
  ["zlib", 5, "shuffle"],
]) {
  let chunks = [];
  const [, tc] = time(() => {
    chunks = [];
    for (let i = 0; i < ROWS; i += CHUNK_ROWS) {
      chunks.push(
        compress(column.subarray(i, Math.min(ROWS, i + CHUNK_ROWS)), { typesize: 8, clevel, shuffle, cname }),
      );
    }
  });
  const cbytes = chunks.reduce((s, c) => s + chunkInfo(c).cbytes, 0);
  const out = new Float64Array(ROWS);
  const [, td] = time(() => {
    let at = 0;
    for (const c of chunks) {
      decompress(c, out.subarray(at));
      at += chunkInfo(c).nbytes / 8;
    }
  });
  const ok = out.every((v, i) => v === column[i]);
  console.log(
    `${cname.padEnd(9)} ${String(clevel).padStart(6)}  ${shuffle.padEnd(10)} ${(bytes / cbytes).toFixed(2).padStart(6)}x` +
      `  ${(bytes / 1e6 / (tc / 1000)).toFixed(0).padStart(13)}  ${(bytes / 1e6 / (td / 1000)).toFixed(0).padStart(15)}  ${ok ? "ok" : "MISMATCH"}`,
  );
  if (!ok) process.exitCode = 1;
}
