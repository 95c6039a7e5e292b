// The key-store workload of bcolz's original experiment (apps/bench keystore), small: NKEYS
// keys, each holding two columns of the same random length in [0, MAXROWS): int64 uniform in
// [0, 1000) and float64 uniform in [0, 1). Seeded, with a seed per key, so any key can be
// regenerated alone; the same generator as the benchmark (mulberry32, FNV-1a seeds).

/** The demo's size: small enough for well under a minute on a slow 2-core machine. */
export interface Workload {
  nkeys: number;
  maxrows: number;
  nlookups: number;
  seed: number;
}

export const DEMO_WORKLOAD: Readonly<Workload> = Object.freeze({ nkeys: 50, maxrows: 100_000, nlookups: 20, seed: 42 });

/** A key's two columns. */
export interface KeyColumns {
  i: BigInt64Array;
  f: Float64Array;
}

/** mulberry32: a small, fast 32-bit PRNG (uint32 per call). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** FNV-1a of a string, to derive per-purpose seeds. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform double in [0, 1) with 53 random bits. */
function uniform53(u32: () => number): number {
  return ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
}

/** Name of key number `i`: "key-000042". */
export function keyName(i: number): string {
  return `key-${String(i).padStart(6, "0")}`;
}

/** Rows of every key, uniform in [0, maxrows). */
export function keyLengths(w: Workload): Uint32Array {
  const rand = mulberry32(w.seed ^ hashString("keystore/lengths"));
  const out = new Uint32Array(w.nkeys);
  for (let i = 0; i < w.nkeys; i++) out[i] = Math.floor(uniform53(rand) * w.maxrows);
  return out;
}

/** Key numbers a query reads: `nlookups` draws with replacement. */
export function lookupKeys(w: Workload): Uint32Array {
  const rand = mulberry32(w.seed ^ hashString("keystore/lookups"));
  const out = new Uint32Array(w.nlookups);
  for (let i = 0; i < w.nlookups; i++) out[i] = Math.floor(uniform53(rand) * w.nkeys);
  return out;
}

/** The columns of key number `index`, `rows` long. */
export function keyColumns(index: number, rows: number, seed: number): KeyColumns {
  const rand = mulberry32(seed ^ hashString(`keystore/key/${index}`));
  const i = new BigInt64Array(rows);
  // Written as uint32 words (low word; the high word stays 0): no BigInt per value.
  const words = new Uint32Array(i.buffer);
  for (let r = 0; r < rows; r++) words[2 * r] = rand() % 1000;
  const f = new Float64Array(rows);
  for (let r = 0; r < rows; r++) f[r] = uniform53(rand);
  return { i, f };
}

/** A checksum of what a query read, to show both sides returned the same data. */
export function columnSum(cols: KeyColumns): number {
  const words = new Int32Array(cols.i.buffer, cols.i.byteOffset, cols.i.length * 2);
  let sum = 0;
  for (let r = 0; r < words.length; r += 2) sum += words[r]! + words[r + 1]! * 4294967296;
  for (let r = 0; r < cols.f.length; r++) sum += cols.f[r]!;
  return sum;
}
