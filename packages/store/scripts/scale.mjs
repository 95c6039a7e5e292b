// Manual scale check (not run in CI): a key store of N small keys (default 1,000,000) opens,
// lists and reads a random key without loading every key's metadata, and keeps accepting writes.
// Usage: node scripts/scale.mjs [keys=1000000] [layout=zip|dir] [parent dir=os.tmpdir()]   (build first)
//
// Filling a million keys through set() takes hours (each set fsyncs), so the store is filled
// the fast way: one value is written by KeyStore, then its file (zip) or pointer (dir: every
// pointer names that one version, so the filled keys are for reading only) is copied under
// every key's encoded name. Then, through the public API only: open, keys() (streamed), size(),
// 1,000 random getColumns, 1,000 set() of new keys, and a reopen. Needs ~4 KB of disk per key.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeKey, KeyStore } from "../dist/node.js";

const n = Number(process.argv[2] ?? 1_000_000);
const layout = process.argv[3] ?? "zip";
const parent = mkdtempSync(join(process.argv[4] ?? tmpdir(), "colz-scale-"));
const root = join(parent, "store");
const keyOf = (i) => `SYM${i}`;
const value = { close: new Float64Array([1.5, 2.5, 3.5]), volume: new BigInt64Array([10n, 20n, 30n]) };
const ms = (t) => `${(performance.now() - t).toFixed(0)} ms`;
const mem = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB RSS`;

try {
  let t = performance.now();
  const writer = await KeyStore.open(root, { mode: "a", layout, sync: false });
  await writer.set(keyOf(0), value);
  await writer.close();
  const seed = encodeKey(keyOf(0), 2);
  const suffix = layout === "zip" ? ".zip" : ".ptr";
  const source = join(root, seed.bucket, `${seed.stem}${suffix}`);
  const pointer = layout === "dir" ? readFileSync(source) : undefined;
  for (let b = 0; b < 256; b++) await mkdir(join(root, b.toString(16).padStart(2, "0")), { recursive: true });
  const BATCH = 64;
  for (let i = 1; i < n; i += BATCH) {
    const jobs = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      const name = encodeKey(keyOf(j), 2);
      const target = join(root, name.bucket, `${name.stem}${suffix}`);
      jobs.push(pointer === undefined ? copyFile(source, target) : writeFile(target, pointer));
    }
    await Promise.all(jobs);
    if (i % 100_000 < BATCH) process.stdout.write(`\rfilled ${i} keys`);
  }
  console.log(`\rfilled ${n} keys (${layout} layout) in ${ms(t)}`);

  t = performance.now();
  const ks = await KeyStore.open(root, { mode: "r" });
  console.log(`open (mode r): ${ms(t)}`);

  t = performance.now();
  let first = 0;
  let listed = 0;
  let peak = 0;
  for await (const _ of ks.keys()) {
    if (++listed === 1) first = performance.now() - t;
    if (listed % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  console.log(
    `keys(): first key after ${first.toFixed(1)} ms, all ${listed} in ${ms(t)}, peak ${(peak / 2 ** 20).toFixed(0)} MB RSS`,
  );
  if (listed !== n) throw new Error(`listed ${listed} keys, expected ${n}`);

  t = performance.now();
  const gets = 1000;
  for (let i = 0; i < gets; i++) {
    const cols = await ks.getColumns(keyOf(Math.floor(Math.random() * n)));
    if (cols?.close.length !== 3) throw new Error("bad value");
  }
  console.log(`random getColumns: ${((performance.now() - t) / gets).toFixed(2)} ms each (${gets} keys)`);
  t = performance.now();
  const table = await ks.get(keyOf(n - 1));
  console.log(`random get (lazy CTable): ${ms(t)}, ${table.length} rows; ${mem()}`);
  await table.close();
  await ks.close();

  t = performance.now();
  const w = await KeyStore.open(root, { mode: "a" });
  console.log(`open (mode a, lock + recovery): ${ms(t)}`);
  t = performance.now();
  for (let i = 0; i < 1000; i++) await w.set(`NEW${i}`, value);
  console.log(`set() of 1,000 new keys (fsync on): ${((performance.now() - t) / 1000).toFixed(2)} ms each`);
  t = performance.now();
  const size = await w.size();
  console.log(`size(): ${size} in ${ms(t)}`);
  await w.close();
} finally {
  const t = performance.now();
  rmSync(parent, { recursive: true, force: true });
  console.log(`(removed the store in ${ms(t)})`);
}
