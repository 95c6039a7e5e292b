// Byte shuffle kernels (assembly/shuffle.ts) against a scalar reference written straight from
// the formulas of the chunk format spec §6.1.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { arena } from "../../src/wasm/arena.js";
import { loadKernels } from "../../src/wasm/instance.js";
import { filterBytes } from "../../src/wasm/kernels.js";

beforeAll(async () => {
  await loadKernels();
});

// ---- reference (§6.1) ----------------------------------------------------------------------

function refShuffle(ts: number, src: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / ts);
  const dst = src.slice(); // trailing bytes stay in place
  for (let i = 0; i < n; i++) for (let k = 0; k < ts; k++) dst[k * n + i] = src[i * ts + k]!;
  return dst;
}

function refUnshuffle(ts: number, src: Uint8Array): Uint8Array {
  const n = Math.floor(src.length / ts);
  const dst = src.slice();
  for (let i = 0; i < n; i++) for (let k = 0; k < ts; k++) dst[i * ts + k] = src[k * n + i]!;
  return dst;
}

// ---- helpers -------------------------------------------------------------------------------

function randomBytes(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 24;
  }
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Runs a kernel with src and dst at the given misalignments, dst's slack filled with a
 * sentinel, and checks that nothing past dst + len was written (the kernels promise exact
 * writes even though the slack contract would allow more).
 */
function runGuarded(kind: "shuffle" | "unshuffle", ts: number, src: Uint8Array, srcOff = 0, dstOff = 0): Uint8Array {
  const a = arena();
  a.reset();
  const s = a.alloc(src.length + 16) + srcOff;
  const d = a.alloc(src.length + 16) + dstOff;
  const mem = a.bytes();
  mem.set(src, s);
  mem.fill(0xa5, d, d + src.length + 32);
  a.kernels[kind](ts, src.length, s, d);
  const after = a.bytes();
  for (let j = src.length; j < src.length + 32; j++) {
    if (after[d + j] !== 0xa5) throw new Error(`${kind} ts=${ts} len=${src.length} wrote past the end at +${j}`);
  }
  return after.slice(d, d + src.length);
}

const typesizeArb = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 9 },
  { arbitrary: fc.constant(255), weight: 1 },
);

// ---- tests ---------------------------------------------------------------------------------

describe("byte shuffle: spec examples and rules", () => {
  it("§6.1 example: typesize 2, 10 bytes", () => {
    const shuffled = Uint8Array.from([0x01, 0x02, 0x03, 0x04, 0x05, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]);
    const plain = Uint8Array.from([0x01, 0xaa, 0x02, 0xbb, 0x03, 0xcc, 0x04, 0xdd, 0x05, 0xee]);
    expect(hex(filterBytes("unshuffle", 2, shuffled))).toBe(hex(plain));
    expect(hex(filterBytes("shuffle", 2, plain))).toBe(hex(shuffled));
  });

  it("typesize 1 is a plain copy", () => {
    const src = randomBytes(1000, 7);
    expect(hex(filterBytes("shuffle", 1, src))).toBe(hex(src));
    expect(hex(filterBytes("unshuffle", 1, src))).toBe(hex(src));
  });

  it("len < typesize is copied unchanged", () => {
    for (const ts of [2, 4, 8, 16, 17, 255]) {
      for (let len = 0; len < Math.min(ts, 40); len++) {
        const src = randomBytes(len, ts * 100 + len);
        expect(hex(filterBytes("shuffle", ts, src))).toBe(hex(src));
        expect(hex(filterBytes("unshuffle", ts, src))).toBe(hex(src));
      }
    }
  });

  it("trailing len % typesize bytes are copied at the same positions", () => {
    // 8005 bytes of typesize 8, as in fixture b121_f8trail_lz4_sh1_ts8: 1000 elements + 5.
    const src = randomBytes(8005, 3);
    const out = filterBytes("shuffle", 8, src);
    expect(hex(out.subarray(8000))).toBe(hex(src.subarray(8000)));
    expect(hex(out)).toBe(hex(refShuffle(8, src)));
    expect(hex(filterBytes("unshuffle", 8, out))).toBe(hex(src));
  });
});

describe("byte shuffle: every typesize 1..40, 255 against the reference", () => {
  it("all lengths up to 20 elements + 20 bytes (scalar, tail and overlap paths)", () => {
    const sizes = [...Array.from({ length: 40 }, (_, i) => i + 1), 63, 64, 65, 255];
    for (const ts of sizes) {
      const lens = Array.from({ length: Math.min(20 * ts + 20, 1200) + 1 }, (_, len) => len);
      // element counts around the 16- and 64-element group sizes, for the large typesizes
      for (const n of [15, 16, 17, 31, 32, 33, 63, 64, 65, 80]) lens.push(n * ts, n * ts + 1, n * ts + ts - 1);
      for (const len of lens) {
        const src = randomBytes(len, ts * 10007 + len);
        expect(hex(runGuarded("shuffle", ts, src))).toBe(hex(refShuffle(ts, src)));
        expect(hex(runGuarded("unshuffle", ts, src))).toBe(hex(refUnshuffle(ts, src)));
      }
    }
  });

  it("random typesize and length 0..5000 (fast-check)", () => {
    fc.assert(
      fc.property(typesizeArb, fc.uint8Array({ maxLength: 5000 }), (ts, src) => {
        expect(hex(runGuarded("shuffle", ts, src))).toBe(hex(refShuffle(ts, src)));
        expect(hex(runGuarded("unshuffle", ts, src))).toBe(hex(refUnshuffle(ts, src)));
      }),
      { numRuns: 400 },
    );
  });

  it("misaligned src and dst", () => {
    fc.assert(
      fc.property(
        typesizeArb,
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 15 }),
        (ts, len, so, dso) => {
          const src = randomBytes(len, len * 31 + ts);
          expect(hex(runGuarded("shuffle", ts, src, so, dso))).toBe(hex(refShuffle(ts, src)));
          expect(hex(runGuarded("unshuffle", ts, src, so, dso))).toBe(hex(refUnshuffle(ts, src)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("round trips: unshuffle(shuffle(x)) === x and shuffle(unshuffle(x)) === x", () => {
    fc.assert(
      fc.property(typesizeArb, fc.uint8Array({ maxLength: 5000 }), (ts, src) => {
        expect(hex(filterBytes("unshuffle", ts, filterBytes("shuffle", ts, src)))).toBe(hex(src));
        expect(hex(filterBytes("shuffle", ts, filterBytes("unshuffle", ts, src)))).toBe(hex(src));
      }),
      { numRuns: 300 },
    );
  });
});

describe("byte shuffle: large blocks", () => {
  // ~300 KB, and power-of-two blocks, whose 4 KB-multiple stream stride selects the staged
  // path for typesize >= 16 (see WIDE in assembly/shuffle.ts).
  const cases: Array<[number, number]> = [];
  for (const ts of [2, 3, 4, 7, 8, 12, 16, 20, 32, 64, 255]) cases.push([ts, 300 * 1024 + 5], [ts, 262144]);
  cases.push([16, 65536], [32, 65536 + 32], [48, 48 * 4096], [100, 100 * 2048 + 7]);
  it.each(cases)("typesize %i, %i bytes", (ts, len) => {
    const src = randomBytes(len, ts * 7919 + len);
    const sh = runGuarded("shuffle", ts, src);
    expect(Buffer.compare(Buffer.from(sh), Buffer.from(refShuffle(ts, src)))).toBe(0);
    const un = runGuarded("unshuffle", ts, src);
    expect(Buffer.compare(Buffer.from(un), Buffer.from(refUnshuffle(ts, src)))).toBe(0);
    expect(Buffer.compare(Buffer.from(filterBytes("unshuffle", ts, sh)), Buffer.from(src))).toBe(0);
  });
});
