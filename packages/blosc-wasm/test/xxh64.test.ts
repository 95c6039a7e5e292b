import { readFileSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BloscError, compress, decompressFrom, ready, xxh64 } from "../src/index.js";

beforeAll(async () => {
  await ready();
});

const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

/** The model: XXH64 (seed 0) straight from the specification, in BigInt arithmetic. */
function xxh64Model(b: Uint8Array): bigint {
  const mul = (x: bigint, y: bigint) => (x * y) & MASK;
  const add = (x: bigint, y: bigint) => (x + y) & MASK;
  const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & MASK;
  const u64 = (i: number) => new DataView(b.buffer, b.byteOffset + i, 8).getBigUint64(0, true);
  const round = (acc: bigint, v: bigint) => mul(rotl(add(acc, mul(v, P2)), 31n), P1);
  let p = 0;
  let h: bigint;
  if (b.length >= 32) {
    const v = [add(P1, P2), P2, 0n, (0n - P1) & MASK];
    for (; p + 32 <= b.length; p += 32) for (let l = 0; l < 4; l++) v[l] = round(v[l] as bigint, u64(p + 8 * l));
    const [v1, v2, v3, v4] = v as [bigint, bigint, bigint, bigint];
    h = add(add(rotl(v1, 1n), rotl(v2, 7n)), add(rotl(v3, 12n), rotl(v4, 18n)));
    for (const lane of v) h = add(mul(h ^ round(0n, lane), P1), P4);
  } else h = P5;
  h = add(h, BigInt(b.length));
  for (; p + 8 <= b.length; p += 8) h = add(mul(rotl(h ^ round(0n, u64(p)), 27n), P1), P4);
  if (p + 4 <= b.length) {
    const w = BigInt(new DataView(b.buffer, b.byteOffset + p, 4).getUint32(0, true));
    h = add(mul(rotl(h ^ mul(w, P1), 23n), P2), P3);
    p += 4;
  }
  for (; p < b.length; p++) h = mul(rotl(h ^ mul(BigInt(b[p] as number), P5), 11n), P1);
  h = mul(h ^ (h >> 33n), P2);
  h = mul(h ^ (h >> 29n), P3);
  return h ^ (h >> 32n);
}

/** The xxHash sanity buffer (see test/oracle/xxh64_vectors.py). */
function sanityBuffer(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let gen = 2654435761n;
  for (let i = 0; i < n; i++) {
    out[i] = Number(gen >> 56n);
    gen = (gen * 11400714785074694797n) & MASK;
  }
  return out;
}

const golden = JSON.parse(readFileSync(new URL("./fixtures/xxh64-vectors.json", import.meta.url), "utf8")) as {
  vectors: { length: number; xxh64: string }[];
};

describe("xxh64", () => {
  it("matches the reference implementation (python3-xxhash) on the sanity buffer", () => {
    const buf = sanityBuffer(Math.max(...golden.vectors.map((v) => v.length)));
    expect(golden.vectors.length).toBeGreaterThan(80);
    for (const { length, xxh64: hex } of golden.vectors) {
      const want = BigInt(`0x${hex}`);
      expect(xxh64(buf.subarray(0, length)), `length ${length}`).toBe(want);
      if (length <= 4096) expect(xxh64Model(buf.subarray(0, length)), `model, length ${length}`).toBe(want);
    }
  });

  it("equals the model for any bytes at any offset, in place in codec memory or copied in", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(15), (bytes, shift) => {
        const padded = new Uint8Array(bytes.length + shift);
        padded.set(bytes, shift);
        const view = padded.subarray(shift);
        const want = xxh64Model(bytes);
        expect(xxh64(view)).toBe(want);
        // In place: the chunk decompressFrom reads into codec memory is hashed where it lies.
        const chunk = compress(bytes.length > 0 ? bytes : new Uint8Array(1), { typesize: 1, cname: "lz4", clevel: 1 });
        let inPlace: bigint | undefined;
        decompressFrom(Math.max(chunk.length, shift + view.length), (room) => {
          room.set(view, shift);
          inPlace = xxh64(room.subarray(shift, shift + view.length));
          room.set(chunk);
          return room.subarray(0, chunk.length);
        });
        expect(inPlace).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it("flags any single flipped bit", () => {
    const buf = sanityBuffer(257);
    const base = xxh64(buf);
    for (let bit = 0; bit < buf.length * 8; bit += 7) {
      const copy = buf.slice();
      copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(xxh64(copy)).not.toBe(base);
    }
  });

  it("refuses what is not a Uint8Array with a typed error", () => {
    expect(() => xxh64([1, 2, 3] as unknown as Uint8Array)).toThrow(BloscError);
  });
});
