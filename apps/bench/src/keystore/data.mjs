// The key-store workload's data: key names, per-key lengths, per-key columns and the lookups.
// Every piece has its own seed derived from (--seed, what it is), so any key can be regenerated
// alone (big runs never hold more than one key in memory) and every flavor gets the same bytes.
import { hashString, mulberry32 } from "../lib/data.mjs";

/** The two columns every key holds. */
export const COLUMNS = Object.freeze({ int: "i", float: "f" });

/** Uniform double in [0, 1) with 53 random bits. @param {() => number} u32 */
export function uniform53(u32) {
  return ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
}

/** Key name of key number `i`: "key-000042" (fixed width, so names sort like numbers). @param {number} i */
export function keyName(i) {
  return `key-${String(i).padStart(6, "0")}`;
}

/**
 * Rows of every key, uniform in [0, maxrows).
 * @param {number} nkeys @param {number} maxrows @param {number} seed
 * @returns {Uint32Array}
 */
export function keyLengths(nkeys, maxrows, seed) {
  const rand = mulberry32(seed ^ hashString("keystore/lengths"));
  const out = new Uint32Array(nkeys);
  for (let i = 0; i < nkeys; i++) out[i] = Math.floor(uniform53(rand) * maxrows);
  return out;
}

/**
 * Key numbers read by a query pass: `nlookups` draws with replacement from [0, nkeys), as
 * numpy's randint in the original experiment. Every flavor and every pass reads this sequence.
 * @param {number} nkeys @param {number} nlookups @param {number} seed
 * @returns {Uint32Array}
 */
export function lookupKeys(nkeys, nlookups, seed) {
  const rand = mulberry32(seed ^ hashString("keystore/lookups"));
  const out = new Uint32Array(nlookups);
  for (let i = 0; i < nlookups; i++) out[i] = Math.floor(uniform53(rand) * nkeys);
  return out;
}

/**
 * @typedef {object} KeyColumns
 * @property {BigInt64Array} i  int64 uniform in [0, 1000)
 * @property {Float64Array} f   float64 uniform in [0, 1)
 */

/**
 * The two columns of key number `index`, `rows` long.
 * @param {number} index @param {number} rows @param {number} seed
 * @returns {KeyColumns}
 */
export function keyColumns(index, rows, seed) {
  const rand = mulberry32(seed ^ hashString(`keystore/key/${index}`));
  const i = new BigInt64Array(rows);
  // Little-endian int64 written as two uint32 words (no BigInt per value): low word, high word 0.
  const words = new Uint32Array(i.buffer);
  for (let r = 0; r < rows; r++) words[2 * r] = rand() % 1000;
  const f = new Float64Array(rows);
  for (let r = 0; r < rows; r++) f[r] = uniform53(rand);
  return { i, f };
}

/**
 * A checksum of what a query read, to prove every flavor returns the same data: the number of
 * elements, the sum of the int column (its values are < 1000, so it is exact as a double) and the
 * sum of the float column (same order everywhere, so bit-identical when the data is).
 * @param {KeyColumns} cols
 * @returns {{ elements: number, intSum: number, floatSum: number }}
 */
export function columnSums(cols) {
  const { i, f } = cols;
  if (!(i instanceof BigInt64Array) || !(f instanceof Float64Array)) {
    throw new Error(`expected BigInt64Array + Float64Array, got ${i?.constructor?.name} + ${f?.constructor?.name}`);
  }
  if (i.length !== f.length) throw new Error(`column lengths differ: ${i.length} vs ${f.length}`);
  const words = new Int32Array(i.buffer, i.byteOffset, i.length * 2);
  let intSum = 0;
  for (let r = 0; r < words.length; r += 2) intSum += words[r] + words[r + 1] * 4294967296;
  let floatSum = 0;
  for (let r = 0; r < f.length; r++) floatSum += f[r];
  return { elements: i.length + f.length, intSum, floatSum };
}

/**
 * Size of the workload: raw bytes of all keys and of the keys one query pass reads.
 * @param {Uint32Array} lengths @param {Uint32Array} lookups
 */
export function workloadSize(lengths, lookups) {
  let rows = 0;
  for (const n of lengths) rows += n;
  let readRows = 0;
  for (const k of lookups) readRows += lengths[k];
  return { rows, rawBytes: rows * 16, elementsPerPass: readRows * 2, readBytesPerPass: readRows * 16 };
}
