// Deterministic values of the crash test, shared by the writer child and the verifying test.
// A value is [generation u32 LE][length u32 LE][pseudo-random payload seeded by generation+key],
// so that any value read back can be checked for tearing on its own.

/** The value the writer stores under `key` in generation `gen`. */
export function valueFor(gen, key) {
  let seed = gen * 2654435761;
  for (let i = 0; i < key.length; i++) seed = (Math.imul(seed, 31) + key.charCodeAt(i)) | 0;
  const length = 1024 + (Math.abs(seed) % (96 * 1024));
  const out = new Uint8Array(8 + length);
  const view = new DataView(out.buffer);
  view.setUint32(0, gen, true);
  view.setUint32(4, length, true);
  let x = seed | 1;
  for (let i = 8; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The generation recorded in a value. */
export function generationOf(value) {
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getUint32(0, true);
}

/** Data keys of a generation (besides the shared, overwritten key "data/shared"). */
export function dataKeys(gen) {
  return [0, 1, 2, 3].map((i) => `data/g${gen}/k${i}`);
}
