import fc from "fast-check";

/** Deterministic PRNG (mulberry32) so benchmark-like data is the same in every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DataKind = "random" | "arange" | "walk" | "randint" | "zeros" | "text" | "uniform";

/** `nbytes` bytes of a recognisable kind of data, element size `typesize`. */
export function makeData(kind: DataKind, nbytes: number, typesize: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(nbytes);
  if (kind === "random") {
    for (let i = 0; i < nbytes; i++) out[i] = (r() * 256) | 0;
  } else if (kind === "text") {
    const words = ["colz", "blosc", "chunk", "shuffle", "table", "the", "of", "price", "AAPL", "\n"];
    let at = 0;
    while (at < nbytes) {
      const w = `${words[(r() * words.length) | 0]} `;
      for (let i = 0; i < w.length && at < nbytes; i++) out[at++] = w.charCodeAt(i);
    }
  } else if (kind !== "zeros") {
    // Little-endian integers or float64s of `typesize` bytes.
    const view = new DataView(out.buffer);
    const n = Math.floor(nbytes / typesize);
    let walk = 0;
    for (let i = 0; i < n; i++) {
      walk += r() - 0.5;
      const v =
        kind === "arange"
          ? i
          : kind === "randint"
            ? Math.floor(r() * 1000)
            : kind === "uniform"
              ? r()
              : Math.round(walk * 1000) / 1000;
      if (typesize === 8 && (kind === "walk" || kind === "uniform")) view.setFloat64(i * 8, v, true);
      else if (typesize === 4 && (kind === "walk" || kind === "uniform")) view.setFloat32(i * 4, v, true);
      else {
        let x = BigInt(Math.floor(v));
        for (let b = 0; b < typesize; b++) {
          out[i * typesize + b] = Number(x & 0xffn);
          x >>= 8n;
        }
      }
    }
    for (let i = n * typesize; i < nbytes; i++) out[i] = (r() * 256) | 0;
  }
  return out;
}

/** fast-check arbitrary over inputs that exercise every layout path of the frame. */
export const inputArb = fc.record({
  kind: fc.constantFrom<DataKind>("random", "arange", "walk", "randint", "zeros", "text"),
  nbytes: fc.oneof(
    fc.integer({ min: 0, max: 200 }),
    fc.integer({ min: 200, max: 70_000 }),
    fc.integer({ min: 70_000, max: 600_000 }),
  ),
  typesize: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constantFrom(3, 5, 7, 12, 24, 32, 100, 255)),
  seed: fc.integer(),
});
