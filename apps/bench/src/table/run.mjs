// Orchestrates one `bench table` run. The phases run in an order that keeps at most about two
// copies of the data alive (50M rows = 400 MB per column): write everything once, time the
// appends (they need both source arrays), drop the timestamps, time scans and where(), check
// toArrow, drop the prices, time toArrow against tableFromIPC.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ready } from "@colz/blosc-wasm";
import { CTable } from "@colz/ctable";
import { DirectoryStore } from "@colz/format/node";
import { assert, createContext, syncDisks } from "./context.mjs";
import { makePrice, makeTs, writeIpcFile, writeRaw, writeTable } from "./data.mjs";
import { arrowPhase, scanPhase, wherePhase } from "./reads.mjs";

/** @typedef {import("./options.mjs").TableOptions} TableOptions */
/** @typedef {import("./context.mjs").Context} Context */
/** @typedef {import("./data.mjs").WriteOptions} WriteOptions */

/**
 * Appends: a whole table per sample (create, append in batches, flush, close) into a fresh
 * directory, against fs writing the same bytes; both with fsync and both without.
 * @param {Context} ctx @param {string} dir
 * @param {{ ts: BigInt64Array, price: Float64Array }} data @param {WriteOptions} wopts
 */
async function appendPhase(ctx, dir, data, wopts) {
  const rows = data.price.length;
  const nbytes = data.price.byteLength + data.ts.byteLength;
  // Untimed before every sample: remove the previous sample's files and flush the disks, so no
  // sample pays for another's deletes or writeback.
  const fresh = () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    syncDisks();
    ctx.gc();
  };
  const over = { beforeSample: fresh };
  await ctx.timeAsync("appendSync", nbytes, () => writeTable(dir, data, wopts), over);
  ctx.timeSync("fsWriteSync", nbytes, () => writeRaw(dir, data, true), over);
  await ctx.timeAsync("appendNoSync", nbytes, () => writeTable(dir, data, { ...wopts, sync: false }), over);
  ctx.timeSync("fsWrite", nbytes, () => writeRaw(dir, data, false), over);
  await ctx.check("append: a table written by the timed code reopens with every row", async () => {
    fresh();
    await writeTable(dir, data, wopts);
    const store = await DirectoryStore.open(dir, { mode: "r" });
    try {
      const t = await CTable.open(store);
      assert(t.length === rows, `${t.length} rows, expected ${rows}`);
      await t.close();
    } finally {
      await store.close();
    }
  });
  rmSync(dir, { recursive: true, force: true });
}

/**
 * @param {TableOptions} opts
 * @param {(s: string) => void} log progress sink (stderr)
 */
export async function runTableBench(opts, log) {
  await ready();
  const ctx = createContext(opts.reps, log);
  const rows = opts.rows;
  mkdirSync(opts.tmp, { recursive: true });
  const root = mkdtempSync(join(opts.tmp, "colz-bench-table-"));
  const tableDir = join(root, "table");
  const rawDir = join(root, "raw");
  const ipcPath = join(root, "table.arrow");
  mkdirSync(rawDir);
  /** @type {DirectoryStore | undefined} */
  let store;
  /** @type {CTable[]} */
  const opened = [];
  try {
    // 1. The data, generated once; a holder object so phases can drop what they no longer need.
    log(`  generating ${rows.toLocaleString("en-US")} rows (seed ${opts.seed})`);
    /** @type {{ ts?: BigInt64Array, price?: Float64Array }} */
    const data = { ts: makeTs(rows, opts.seed), price: makePrice(rows, opts.seed) };
    const full = /** @type {{ ts: BigInt64Array, price: Float64Array }} */ (data);
    /** @type {WriteOptions} */
    const wopts = { cname: opts.cname, clevel: opts.clevel, batch: opts.batch, sync: true };

    // 2. Written once: the table every read test uses, the raw files, the IPC file.
    log(`  writing the table (${opts.cname}, clevel ${opts.clevel}, shuffle) under ${root}`);
    await writeTable(tableDir, full, wopts);
    store = await DirectoryStore.open(tableDir, { mode: "r" });
    const table = await CTable.open(store);
    opened.push(table);
    const tableNoCrc = await CTable.open(store, { verifyChecksums: false });
    opened.push(tableNoCrc);
    const price = table.column("price");
    const ts = table.column("ts");
    Object.assign(ctx.info, {
      rows,
      dir: root,
      chunklen: price.chunklen,
      nchunks: Math.ceil(rows / price.chunklen),
      cparams: price.cparams,
      price: { dtype: "float64", nbytes: price.nbytes, cbytes: price.cbytes, ratio: price.ratio },
      ts: { dtype: "int64", nbytes: ts.nbytes, cbytes: ts.cbytes, ratio: ts.ratio },
    });
    writeRaw(rawDir, full, false);
    await writeIpcFile(ipcPath, full, price.chunklen);
    syncDisks();

    // Peak RSS so far after each phase (JSON only): says which phase sets the peak.
    const peaks = /** @type {Record<string, number>} */ ({});
    const peak = (/** @type {string} */ phase) => {
      peaks[phase] = Math.round(process.resourceUsage().maxRSS / 1024);
    };
    ctx.info.peakRssMBAfter = peaks;
    peak("write");
    log("append:");
    await appendPhase(ctx, join(root, "append"), full, wopts);
    data.ts = undefined;
    ctx.gc();
    peak("append");

    log("scan:");
    await scanPhase(ctx, {
      table,
      tableNoCrc,
      store,
      price: full.price,
      tableDir,
      rawFile: join(rawDir, "price.bin"),
    });
    ctx.gc();
    peak("scan");
    log("where:");
    await wherePhase(ctx, { table, seed: opts.seed });
    peak("where");
    log("arrow:");
    await arrowPhase(ctx, { table, data, ipcPath, seed: opts.seed });
    peak("arrow");
    ctx.info.peakRssMB = process.resourceUsage().maxRSS / 1024;
    return { measurements: ctx.measurements, checks: ctx.checks, info: ctx.info };
  } finally {
    for (const t of opened) await t.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    if (opts.keep) log(`  data kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}
