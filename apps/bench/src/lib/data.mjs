// Seeded, reproducible data generators. The same name + size + seed always gives the same bytes,
// so JS and the native child process measure identical inputs (the bytes are handed over in files).

/**
 * mulberry32: small, fast, good enough for benchmark data (not for statistics).
 * @param {number} seed
 * @returns {() => number} uint32 generator
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** FNV-1a of a string, to derive per-dataset seeds. @param {string} s */
export function hashString(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform double in [0, 1) with 53 random bits. @param {() => number} u32 */
function uniform53(u32) {
  return ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
}

/**
 * @typedef {object} Dataset
 * @property {string} name      short id used in tables and JSON
 * @property {string} label     human description
 * @property {number} typesize  element size in bytes (passed to every Blosc implementation)
 * @property {(nbytes: number, rand: () => number) => Uint8Array} make
 */

/** @type {Dataset[]} */
export const DATASETS = [
  {
    name: "f64-arange",
    label: "float64 arange (0, 1, 2, ...)",
    typesize: 8,
    make(nbytes) {
      const a = new Float64Array(nbytes / 8);
      for (let i = 0; i < a.length; i++) a[i] = i;
      return new Uint8Array(a.buffer);
    },
  },
  {
    name: "f64-walk",
    label: "float64 random walk (cumulative sum of N(0,1) steps)",
    typesize: 8,
    make(nbytes, rand) {
      const a = new Float64Array(nbytes / 8);
      let x = 0;
      for (let i = 0; i < a.length; i += 2) {
        // Box-Muller: two normal steps per pair of uniforms.
        const u1 = 1 - uniform53(rand);
        const u2 = uniform53(rand);
        const r = Math.sqrt(-2 * Math.log(u1));
        x += r * Math.cos(2 * Math.PI * u2);
        a[i] = x;
        if (i + 1 < a.length) {
          x += r * Math.sin(2 * Math.PI * u2);
          a[i + 1] = x;
        }
      }
      return new Uint8Array(a.buffer);
    },
  },
  {
    name: "i64-rand1000",
    label: "int64 uniform random in 0..1000",
    typesize: 8,
    make(nbytes, rand) {
      // Little-endian int64: low word random 0..1000, high word 0.
      const w = new Uint32Array(nbytes / 4);
      for (let i = 0; i < w.length; i += 2) w[i] = rand() % 1001;
      return new Uint8Array(w.buffer);
    },
  },
  {
    name: "f64-uniform",
    label: "float64 uniform random in [0, 1)",
    typesize: 8,
    make(nbytes, rand) {
      const a = new Float64Array(nbytes / 8);
      for (let i = 0; i < a.length; i++) a[i] = uniform53(rand);
      return new Uint8Array(a.buffer);
    },
  },
];

/**
 * Bytes of one dataset at one size, seeded by (seed, name, nbytes).
 * @param {Dataset} ds @param {number} nbytes @param {number} seed
 */
export function generate(ds, nbytes, seed) {
  if (nbytes % 8 !== 0) throw new Error(`size ${nbytes} must be a multiple of 8`);
  return ds.make(nbytes, mulberry32(seed ^ hashString(`${ds.name}/${nbytes}`)));
}

/**
 * Index of the first differing byte, or -1 when equal (lengths must match too).
 * @param {Uint8Array} a @param {Uint8Array} b
 */
export function firstDifference(a, b) {
  const ba = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bb = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (ba.length === bb.length && ba.equals(bb)) return -1;
  const n = Math.min(ba.length, bb.length);
  for (let i = 0; i < n; i++) if (ba[i] !== bb[i]) return i;
  return n;
}

/**
 * Throws a descriptive error when `got` is not bit-exact `want`.
 * @param {Uint8Array} got @param {Uint8Array} want @param {string} what
 */
export function assertSameBytes(got, want, what) {
  const at = firstDifference(got, want);
  if (at < 0) return;
  if (got.byteLength !== want.byteLength) {
    throw new Error(`${what}: ${got.byteLength} bytes, expected ${want.byteLength}`);
  }
  throw new Error(`${what}: differs from the input at byte ${at} of ${want.byteLength}`);
}
