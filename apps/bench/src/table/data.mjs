// The `bench table` data and the ways it is written: a colz table (DirectoryStore), raw
// uncompressed files (the fs baselines) and an uncompressed Arrow IPC file written by apache-arrow
// itself (the tableFromIPC baseline). Everything is seeded, so runs compare the same bytes.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CTable } from "@colz/ctable";
import { DirectoryStore } from "@colz/format/node";
import { Field, Float64, Int64, makeData, RecordBatch, RecordBatchFileWriter, Schema, Struct } from "apache-arrow";
import { hashString, mulberry32 } from "../lib/data.mjs";

/** Table order: the sorted key first, as a time series is usually laid out. */
export const SCHEMA = [
  { name: "ts", dtype: "int64" },
  { name: "price", dtype: "float64" },
];

/** 2024-01-02T00:00:00Z in ms: the first timestamp. */
export const T0 = 1704153600000;
/** One row per second (in ms) plus a jitter below one step, so ts is strictly increasing. */
export const TS_STEP = 1000;

/**
 * @typedef {object} TableData
 * @property {BigInt64Array} ts     sorted int64 (ms timestamps)
 * @property {Float64Array} price   random walk in whole cents, divided by 100
 */

/**
 * Prices as a trader's tape has them: a random walk of whole cents (steps of -10..10 cents,
 * triangular), starting at 100.00 and reflected above 1.00. Every value is the double nearest a
 * two-decimal number, so its low mantissa bytes look random and it compresses like real prices
 * (about 1.3x with lz4 + shuffle), not like synthetic arange data.
 * @param {number} rows @param {number} seed
 */
export function makePrice(rows, seed) {
  const rand = mulberry32(seed ^ hashString("table/price"));
  const out = new Float64Array(rows);
  let cents = 10000;
  for (let i = 0; i < rows; i++) {
    const r = rand();
    cents += ((r & 0xffff) % 11) + ((r >>> 16) % 11) - 10;
    if (cents < 100) cents = 200 - cents;
    out[i] = cents / 100;
  }
  return out;
}

/** Jitter of row i in [0, TS_STEP): a hash of the index, so any row range can be regenerated. */
function jitter(/** @type {number} */ i, /** @type {number} */ salt) {
  let h = Math.imul(i ^ salt, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return ((h ^ (h >>> 13)) >>> 0) % TS_STEP;
}

/**
 * ts[i] = T0 + i * TS_STEP + jitter(i): strictly increasing, and rows [a, b) are exactly those with
 * T0 + a * TS_STEP <= ts < T0 + b * TS_STEP, which is how where() gets an exact 1% window.
 * @param {number} rows @param {number} seed
 */
export function makeTs(rows, seed) {
  const out = new BigInt64Array(rows);
  // Written as two uint32 words per row: creating 50M BigInts would take seconds.
  const words = new Uint32Array(out.buffer);
  const salt = seed ^ hashString("table/ts");
  for (let i = 0; i < rows; i++) {
    const v = T0 + i * TS_STEP + jitter(i, salt);
    const hi = Math.floor(v / 4294967296);
    words[2 * i] = v - hi * 4294967296;
    words[2 * i + 1] = hi;
  }
  return out;
}

/** ts of one row, as makeTs computes it (for checks once the array is gone). @param {number} i @param {number} seed */
export function tsAt(i, seed) {
  return BigInt(T0 + i * TS_STEP + jitter(i, seed ^ hashString("table/ts")));
}

/**
 * The where() window: 1% of the rows, starting at 37% of the table (not chunk aligned).
 * @param {number} rows
 */
export function whereWindow(rows) {
  const first = Math.floor(rows * 0.37);
  const count = Math.max(1, Math.round(rows / 100));
  const lo = T0 + first * TS_STEP;
  const hi = T0 + (first + count) * TS_STEP;
  return { first, count, expr: `(ts >= ${lo}) & (ts < ${hi})` };
}

/** @param {ArrayBufferView} a */
export function bytesOf(a) {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * @typedef {object} WriteOptions
 * @property {string} cname
 * @property {number} clevel
 * @property {number} batch   rows per append call
 * @property {boolean} sync   DirectoryStore fsyncs (its default, true) or not (scratch mode)
 */

/**
 * Writes `data` as a new colz table in `dir` the way an application would: create with the
 * expected length (which picks bcolz's chunk size), append in batches, flush, close.
 * @param {string} dir @param {TableData} data @param {WriteOptions} o
 */
export async function writeTable(dir, data, o) {
  const rows = data.price.length;
  const store = await DirectoryStore.open(dir, { mode: "w", sync: o.sync });
  try {
    const table = await CTable.create(store, SCHEMA, {
      expectedlen: rows,
      cparams: { cname: /** @type {any} */ (o.cname), clevel: o.clevel, shuffle: "shuffle" },
    });
    for (let s = 0; s < rows; s += o.batch) {
      const e = Math.min(rows, s + o.batch);
      await table.append({ ts: data.ts.subarray(s, e), price: data.price.subarray(s, e) });
    }
    await table.flush();
    await table.close();
  } finally {
    await store.close();
  }
}

/**
 * The fs baseline of writeTable: each column's bytes in one file, as fs.writeFileSync writes
 * them; with `sync`, each file is fsynced and then the directory, like a DirectoryStore commit.
 * @param {string} dir @param {TableData} data @param {boolean} sync
 */
export function writeRaw(dir, data, sync) {
  for (const [name, values] of /** @type {const} */ ([
    ["ts", data.ts],
    ["price", data.price],
  ])) {
    const path = join(dir, `${name}.bin`);
    if (!sync) {
      writeFileSync(path, bytesOf(values));
      continue;
    }
    const fd = openSync(path, "w");
    try {
      writeFileSync(fd, bytesOf(values));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  if (sync) {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * An uncompressed Arrow IPC file of the same columns (same names, types and nullability as
 * toArrow's), written by apache-arrow's RecordBatchFileWriter in batches of `batchRows` rows.
 * @param {string} path @param {TableData} data @param {number} batchRows
 */
export async function writeIpcFile(path, data, batchRows) {
  const schema = new Schema([new Field("ts", new Int64(), false), new Field("price", new Float64(), false)]);
  const struct = new Struct(schema.fields);
  const rows = data.price.length;
  /** @returns {Generator<RecordBatch>} */
  function* batches() {
    for (let s = 0; s < rows; s += batchRows) {
      const e = Math.min(rows, s + batchRows);
      const children = [
        makeData({ type: new Int64(), length: e - s, nullCount: 0, data: data.ts.subarray(s, e) }),
        makeData({ type: new Float64(), length: e - s, nullCount: 0, data: data.price.subarray(s, e) }),
      ];
      yield new RecordBatch(schema, makeData({ type: struct, length: e - s, nullCount: 0, children }));
    }
  }
  // The writer queues views of our arrays (no copies), so draining after writeAll costs no memory.
  const writer = RecordBatchFileWriter.writeAll(batches());
  const fd = openSync(path, "w");
  try {
    for await (const chunk of writer) writeFileSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads every file under `dir` once, so the timed reads find them in the page cache.
 * @param {string} dir @returns {number} bytes read
 */
export function warmPageCache(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) total += readFileSync(join(e.parentPath ?? e.path, e.name)).length;
  }
  return total;
}
