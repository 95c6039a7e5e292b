// Measures the two layouts on the same workload, to choose the default (numbers in README.md).
// Usage: node scripts/layout-bench.mjs [keys=300] [maxRows=100000] [dir]   (build first: pnpm build)
// Workload: `keys` keys, each a table of 2 columns with 1,000..maxRows rows: int64 random in
// [0, 1000) and float64 uniform in [0, 1). Reports create time, files, bytes on disk, and the
// time to read every key once (getColumns, all columns) in random order, warm page cache, and
// to list the keys.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyStore } from "../dist/node.js";

const nKeys = Number(process.argv[2] ?? 300);
const maxRows = Number(process.argv[3] ?? 100_000);
const base = process.argv[4] ?? tmpdir();

let seed = 42;
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const tables = [];
let rawBytes = 0;
for (let k = 0; k < nKeys; k++) {
  const rows = 1000 + Math.floor(rand() * (maxRows - 1000 + 1));
  const ints = new BigInt64Array(rows);
  const floats = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    ints[i] = BigInt(Math.floor(rand() * 1000));
    floats[i] = rand();
  }
  tables.push({ ints, floats });
  rawBytes += rows * 16;
}
const keys = tables.map((_, i) => `SYM${String(i).padStart(5, "0")}`);
const order = keys
  .map((k) => [rand(), k])
  .sort((a, b) => a[0] - b[0])
  .map(([, k]) => k);

function du(path) {
  const files = Number(
    execFileSync("sh", ["-c", `find '${path}' -type f | wc -l`])
      .toString()
      .trim(),
  );
  const dirs = Number(
    execFileSync("sh", ["-c", `find '${path}' -type d | wc -l`])
      .toString()
      .trim(),
  );
  const kb = Number(execFileSync("du", ["-sk", path]).toString().split("\t")[0]);
  return { files, dirs, kb };
}

const results = [];
for (const layout of ["zip", "dir"]) {
  const dir = mkdtempSync(join(base, `colz-layout-${layout}-`));
  const root = join(dir, "store");
  try {
    let t = performance.now();
    const ks = await KeyStore.open(root, { mode: "a", layout, cparams: { cname: "lz4", clevel: 5, shuffle: 1 } });
    for (let i = 0; i < nKeys; i++) await ks.set(keys[i], tables[i]);
    await ks.close();
    const createS = (performance.now() - t) / 1000;
    const disk = du(root);

    const reader = await KeyStore.open(root, { mode: "r" });
    // One warm-up pass so that both layouts read from the page cache, then the timed pass.
    let readS = 0;
    for (const phase of ["warm", "timed"]) {
      t = performance.now();
      let rows = 0;
      for (const key of order) rows += (await reader.getColumns(key)).ints.length;
      if (phase === "timed") readS = (performance.now() - t) / 1000;
      if (rows === 0) throw new Error("nothing read");
    }
    t = performance.now();
    let listed = 0;
    for await (const _ of reader.keys()) listed++;
    const listMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 200; i++) await reader.getColumns(order[i % order.length], ["ints"]);
    const oneMs = (performance.now() - t) / 200;
    await reader.close();
    results.push({ layout, createS, ...disk, readS, listMs, oneMs, listed });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `${nKeys} keys, 2 columns, 1,000..${maxRows} rows each (int64 [0,1000), float64 [0,1)); raw ${(rawBytes / 1e6).toFixed(1)} MB; lz4 clevel 5 shuffle`,
);
console.log(
  "| layout | create (s) | files | dirs | on disk (MB) | read all, warm (s) | read all (MB/s raw) | one key, 1 column (ms) | keys() (ms) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${r.layout} | ${r.createS.toFixed(2)} | ${r.files} | ${r.dirs} | ${(r.kb / 1024).toFixed(1)} | ${r.readS.toFixed(2)} | ${(rawBytes / 1e6 / r.readS).toFixed(0)} | ${r.oneMs.toFixed(2)} | ${r.listMs.toFixed(1)} |`,
  );
}
