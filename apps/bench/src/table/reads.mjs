// The read side of `bench table`: column scans, where(), toArrow. Each phase first checks that
// what it times returns the right data (untimed), then times it against its baseline.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { decompress } from "@colz/blosc-wasm";
import { where } from "@colz/ctable";
import { toArrow } from "@colz/ctable/arrow";
import { chunkKey, readChunkFile } from "@colz/format";
import { tableFromIPC } from "apache-arrow";
import { errorMessage } from "../codec/impls.mjs";
import { firstDifference } from "../lib/data.mjs";
import { assert } from "./context.mjs";
import { bytesOf, tsAt, warmPageCache, whereWindow } from "./data.mjs";

/** @typedef {import("./context.mjs").Context} Context */
/** @typedef {import("@colz/ctable").CTable} CTable */
/** @typedef {import("@colz/format/node").DirectoryStore} DirectoryStore */

/**
 * Full scans of the price column into one Float64Array, against copies of the same bytes.
 * @param {Context} ctx
 * @param {{ table: CTable, tableNoCrc: CTable, store: DirectoryStore, price: Float64Array, tableDir: string, rawFile: string }} s
 */
export async function scanPhase(ctx, s) {
  const { table, tableNoCrc, price } = s;
  const rows = price.length;
  const nbytes = price.byteLength;
  ctx.info.warmedBytes = warmPageCache(s.tableDir) + readFileSync(s.rawFile).length;
  const dst = new Float64Array(rows);
  ctx.timeSync("copy", nbytes, () => dst.set(price));
  ctx.timeSync("allocCopy", nbytes, () => price.slice());
  ctx.timeSync("readFile", nbytes, () => readFileSync(s.rawFile));
  await decodeOnly(ctx, table, s.store, dst, price);
  await ctx.check("scan: readColumn returns the written prices", async () => {
    const v = await table.readColumn("price", 0, rows);
    const at = firstDifference(bytesOf(v.data), bytesOf(price));
    assert(at < 0, `differs at byte ${at}`);
  });
  await ctx.timeAsync("scan", nbytes, () => table.readColumn("price", 0, rows));
  await ctx.timeAsync("scanNoCrc", nbytes, () => tableNoCrc.readColumn("price", 0, rows));
  await scanInto(ctx, table, tableNoCrc, dst, price, s.rawFile);
  await scanThreaded(ctx, table, tableNoCrc, price);
}

/**
 * The scan into a reused array with `threads: 2` (this thread + one worker thread, each decoding
 * half of the chunks): the output must live in a SharedArrayBuffer, allocated and warmed once
 * here (not timed), like `dst` for the single-thread rows. The first call starts the worker.
 * @param {Context} ctx @param {CTable} table @param {CTable} tableNoCrc @param {Float64Array} price
 */
async function scanThreaded(ctx, table, tableNoCrc, price) {
  const rows = price.length;
  const shared = new Float64Array(new SharedArrayBuffer(price.byteLength));
  shared.set(price); // first touch of the fresh pages, outside the timing
  shared.fill(0);
  const opts = { out: shared, threads: 2 };
  await ctx.check("scan with 2 threads: readColumn fills the shared array", async () => {
    const v = await table.readColumn("price", 0, rows, opts);
    assert(v.data.buffer === shared.buffer, "readColumn ignored `out` and allocated a new array");
    const at = firstDifference(bytesOf(shared), bytesOf(price));
    assert(at < 0, `differs at byte ${at}`);
  });
  await ctx.timeAsync("scanInto2", price.byteLength, () => table.readColumn("price", 0, rows, opts));
  await ctx.timeAsync("scanIntoNoCrc2", price.byteLength, () => tableNoCrc.readColumn("price", 0, rows, opts));
}

/**
 * Reads the raw (uncompressed) price file into `into` with fs.readSync: the bytes of the column
 * from the page cache into warm memory, what a scan would cost if the data were not compressed.
 * @param {string} file @param {Uint8Array} into
 */
function readSyncInto(file, into) {
  const fd = openSync(file, "r");
  try {
    let done = 0;
    while (done < into.length) {
      const n = readSync(fd, into, done, into.length - done, done);
      if (n === 0) throw new Error(`${file} ends after ${done} bytes`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The same scan decoded into the caller's preallocated array (`readColumn(..., { out })`): the
 * difference to `scan` is what a fresh result array costs. Also without checksums, and the
 * uncompressed bytes read into the same array (the "decompressing beats reading" comparison).
 * @param {Context} ctx @param {CTable} table @param {CTable} tableNoCrc @param {Float64Array} dst
 * @param {Float64Array} price @param {string} rawFile
 */
async function scanInto(ctx, table, tableNoCrc, dst, price, rawFile) {
  const rows = price.length;
  dst.fill(0);
  await ctx.check("scan into out: readColumn fills the caller's array", async () => {
    const v = await table.readColumn("price", 0, rows, { out: dst });
    assert(v.data.buffer === dst.buffer, "readColumn ignored `out` and allocated a new array");
    const at = firstDifference(bytesOf(dst), bytesOf(price));
    assert(at < 0, `differs at byte ${at}`);
  });
  await ctx.timeAsync("scanInto", price.byteLength, () => table.readColumn("price", 0, rows, { out: dst }));
  await ctx.timeAsync("scanIntoNoCrc", price.byteLength, () => tableNoCrc.readColumn("price", 0, rows, { out: dst }));
  const bytes = bytesOf(dst);
  await ctx.check("readSync baseline: the raw file holds the prices", () => {
    readSyncInto(rawFile, bytes);
    const at = firstDifference(bytes, bytesOf(price));
    assert(at < 0, `differs at byte ${at}`);
  });
  ctx.timeSync("readSyncRaw", price.byteLength, () => readSyncInto(rawFile, bytes));
}

/**
 * The codec's share of a scan: the price column's chunks already in memory, decompressed with
 * @colz/blosc-wasm into one preallocated array. No I/O, no checksums, no allocation.
 * @param {Context} ctx @param {CTable} table @param {DirectoryStore} store
 * @param {Float64Array} dst @param {Float64Array} price
 */
async function decodeOnly(ctx, table, store, dst, price) {
  const col = table.column("price");
  const chunkBytes = col.chunklen * 8;
  const nchunks = Math.ceil(col.length / col.chunklen);
  /** @type {Uint8Array[]} */
  const chunks = [];
  try {
    for (let i = 0; i < nchunks; i++) {
      const c = await readChunkFile(store, chunkKey(col.prefix, i), chunkBytes + 16);
      if (c === undefined) throw new Error(`chunk ${i} of the price column is missing`);
      chunks.push(c);
    }
  } catch (e) {
    ctx.measurements.decodeOnly = { error: `reading the chunks: ${errorMessage(e)}` };
    return;
  }
  const out = bytesOf(dst);
  const run = () => {
    for (let i = 0; i < nchunks; i++) {
      const at = i * chunkBytes;
      decompress(chunks[i], out.subarray(at, Math.min(out.length, at + chunkBytes)));
    }
  };
  await ctx.check("decode only: the chunks decode to the written prices", () => {
    run();
    const at = firstDifference(out, bytesOf(price));
    assert(at < 0, `differs at byte ${at}`);
  });
  ctx.timeSync("decodeOnly", out.length, run);
}

/**
 * where() runs on any ColumnSource: this one forwards to the table, counts the scan steps and
 * the steps actually read (CTable.where does not report skipped chunks), and can hide the chunk
 * statistics so that every chunk is decoded and evaluated.
 * @param {CTable} table @param {boolean} stats
 */
function instrument(table, stats) {
  let steps = 0;
  const read = new Set();
  /** @type {import("@colz/ctable").ColumnSource} */
  const source = {
    get length() {
      return table.length;
    },
    get schema() {
      return table.schema;
    },
    readColumn(name, start, stop, options) {
      read.add(start);
      return table.readColumn(name, start, stop, options);
    },
    async scanPlan(columns, start, stop) {
      const plan = await table.scanPlan(columns, start, stop);
      steps += plan.length;
      return stats ? plan : plan.map((step) => ({ ...step, stats: {} }));
    },
  };
  return { source, counts: () => ({ chunks: steps, chunksRead: read.size, chunksSkipped: steps - read.size }) };
}

/**
 * where() selecting 1% of the rows by a range on the sorted ts column, against a full scan of ts.
 * @param {Context} ctx @param {{ table: CTable, seed: number }} s
 */
export async function wherePhase(ctx, s) {
  const { table } = s;
  const rows = table.length;
  const win = whereWindow(rows);
  const opts = { columns: ["ts"] };
  ctx.info.where = { expr: win.expr, expectedRows: win.count, firstRow: win.first };
  await ctx.timeAsync("scanTs", rows * 8, () => table.readColumn("ts", 0, rows));
  const counted = instrument(table, true);
  await ctx.check("where: selects exactly the 1% window", async () => {
    const sel = await where(counted.source, win.expr, opts);
    Object.assign(ctx.info.where, counted.counts(), { rows: sel.length });
    assert(sel.length === win.count, `${sel.length} rows, expected ${win.count}`);
    assert(sel.indices[0] === win.first, `first row ${sel.indices[0]}, expected ${win.first}`);
    const ts = sel.columns.ts;
    assert(ts?.kind === "fixed" && ts.data[0] === tsAt(win.first, s.seed), "wrong ts in the selection");
  });
  // Short calls: each sample loops for >= 50 ms so timer and scheduler noise average out.
  await ctx.timeAsync("where", rows * 8, () => table.where(win.expr, opts), {
    minSampleMs: 50,
    beforeSample: () => {},
  });
  const noStats = instrument(table, false);
  await ctx.timeAsync("whereNoStats", rows * 8, () => where(noStats.source, win.expr, opts));
}

/**
 * toArrow of the whole table against apache-arrow reading an uncompressed IPC file of the same
 * data from the page cache. Checks toArrow against the source, then drops the source
 * (`data.price`) so the timed part holds at most two Arrow tables.
 * @param {Context} ctx @param {{ table: CTable, data: { price?: Float64Array }, ipcPath: string, seed: number }} s
 */
export async function arrowPhase(ctx, s) {
  const { table } = s;
  const rows = table.length;
  await ctx.check("toArrow: same rows and values as written", async () => {
    const price = /** @type {Float64Array} */ (s.data.price);
    const arrow = await toArrow(table);
    assert(arrow.numRows === rows, `${arrow.numRows} rows, expected ${rows}`);
    let at = 0;
    for (const batch of arrow.batches) {
      const p = /** @type {Float64Array} */ (batch.getChild("price")?.data[0]?.values);
      const ts = /** @type {BigInt64Array} */ (batch.getChild("ts")?.data[0]?.values);
      assert(p && ts, "a batch lacks its price or ts column");
      const diff = firstDifference(bytesOf(p), bytesOf(price.subarray(at, at + batch.numRows)));
      assert(diff < 0, `price differs in the batch at row ${at}`);
      assert(ts[0] === tsAt(at, s.seed), `ts differs at row ${at}`);
      at += batch.numRows;
    }
    ctx.info.arrowBatches = arrow.batches.length;
  });
  s.data.price = undefined;
  ctx.gc();
  await ctx.check("tableFromIPC: same rows and schema as toArrow", async () => {
    const ipc = tableFromIPC(readFileSync(s.ipcPath));
    assert(ipc.numRows === rows, `${ipc.numRows} rows, expected ${rows}`);
    const theirs = ipc.schema.fields.map(String).join(", ");
    const ours = (await toArrow(table, { stop: 1 })).schema.fields.map(String).join(", ");
    assert(theirs === ours, `IPC schema ${theirs}, toArrow ${ours}`);
    ctx.info.ipcBatches = ipc.batches.length;
  });
  await ctx.timeAsync("toArrow", rows * 16, () => toArrow(table));
  ctx.timeSync("fromIPC", rows * 16, () => tableFromIPC(readFileSync(s.ipcPath)));
}
