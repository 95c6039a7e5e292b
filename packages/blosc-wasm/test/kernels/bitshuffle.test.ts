// Bit shuffle kernels (assembly/bitshuffle.ts) against a scalar reference written straight
// from the definition and the c-blosc 1.x rule of the chunk format spec §6.2.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { arena } from "../../src/wasm/arena.js";
import { loadKernels } from "../../src/wasm/instance.js";
import { filterBytes } from "../../src/wasm/kernels.js";

beforeAll(async () => {
  await loadKernels();
});

// ---- reference (§6.2) ----------------------------------------------------------------------

/** True when the 1.x rule stores the block untransformed. */
function untransformed(ts: number, len: number): boolean {
  return len < ts || Math.floor(len / ts) % 8 !== 0;
}

// filtered[R*(n/8) + i] = OR over m of ((src[(8i+m)*ts + k] >> b) & 1) << m,  R = 8k + b
function refBitshuffle(ts: number, src: Uint8Array): Uint8Array {
  const dst = src.slice(); // untransformed blocks and trailing bytes stay as they are
  if (untransformed(ts, src.length)) return dst;
  const rowLen = Math.floor(src.length / ts) / 8;
  for (let k = 0; k < ts; k++) {
    for (let b = 0; b < 8; b++) {
      for (let i = 0; i < rowLen; i++) {
        let v = 0;
        for (let m = 0; m < 8; m++) v |= ((src[(8 * i + m) * ts + k]! >> b) & 1) << m;
        dst[(8 * k + b) * rowLen + i] = v;
      }
    }
  }
  return dst;
}

function refBitunshuffle(ts: number, src: Uint8Array): Uint8Array {
  const dst = src.slice();
  if (untransformed(ts, src.length)) return dst;
  const n = Math.floor(src.length / ts);
  const rowLen = n / 8;
  dst.fill(0, 0, n * ts);
  for (let k = 0; k < ts; k++) {
    for (let b = 0; b < 8; b++) {
      for (let i = 0; i < rowLen; i++) {
        const v = src[(8 * k + b) * rowLen + i]!;
        for (let m = 0; m < 8; m++) dst[(8 * i + m) * ts + k]! |= ((v >> m) & 1) << b;
      }
    }
  }
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
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/** Runs a kernel with misaligned regions and checks that nothing past dst + len is written. */
function runGuarded(
  kind: "bitshuffle" | "bitunshuffle",
  ts: number,
  src: Uint8Array,
  srcOff = 0,
  dstOff = 0,
): Uint8Array {
  const a = arena();
  a.reset();
  const s = a.alloc(src.length + 16) + srcOff;
  const d = a.alloc(src.length + 16) + dstOff;
  const t = a.alloc(src.length);
  const mem = a.bytes();
  mem.set(src, s);
  mem.fill(0xa5, d, d + src.length + 32);
  mem.fill(0x5a, t, t + src.length); // the scratch must not leak into the result
  const r = a.kernels[kind](ts, src.length, s, d, t);
  if (r !== 0) throw new Error(`${kind} ts=${ts} len=${src.length} returned ${r}`);
  const after = a.bytes();
  for (let j = src.length; j < src.length + 32; j++) {
    if (after[d + j] !== 0xa5) throw new Error(`${kind} ts=${ts} len=${src.length} wrote past the end at +${j}`);
  }
  return after.slice(d, d + src.length);
}

function check(ts: number, src: Uint8Array, so = 0, dso = 0): void {
  const sh = runGuarded("bitshuffle", ts, src, so, dso);
  if (!same(sh, refBitshuffle(ts, src))) throw new Error(`bitshuffle ts=${ts} len=${src.length} differs`);
  const un = runGuarded("bitunshuffle", ts, src, so, dso);
  if (!same(un, refBitunshuffle(ts, src))) throw new Error(`bitunshuffle ts=${ts} len=${src.length} differs`);
  if (!same(runGuarded("bitunshuffle", ts, sh), src)) throw new Error(`round trip ts=${ts} len=${src.length}`);
}

const typesizeArb = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 9 },
  { arbitrary: fc.constant(255), weight: 1 },
);

// ---- tests ---------------------------------------------------------------------------------

describe("bitshuffle: spec examples and the c-blosc 1.x rule", () => {
  it("§6.2 example: eight uint16 values 1..8", () => {
    const src = new Uint8Array(16);
    for (let i = 0; i < 8; i++) src[2 * i] = i + 1;
    const expected = "55667880" + "00".repeat(12);
    expect(hex(filterBytes("bitshuffle", 2, src))).toBe(expected);
    expect(hex(filterBytes("bitunshuffle", 2, Buffer.from(expected, "hex")))).toBe(hex(src));
  });

  it("the references agree with the example and invert each other", () => {
    const src = new Uint8Array(16);
    for (let i = 0; i < 8; i++) src[2 * i] = i + 1;
    expect(hex(refBitshuffle(2, src))).toBe("55667880" + "00".repeat(12));
    const r = randomBytes(8 * 5 * 3 + 2, 9);
    expect(hex(refBitunshuffle(5, refBitshuffle(5, r)))).toBe(hex(r));
  });

  it("n % 8 != 0: stored untransformed", () => {
    // 1142 elements of typesize 7 (+3 bytes), 1001 of typesize 8, 1007 of typesize 4: the
    // shapes of the fixtures b118_8000B_randint1000_lz4_sh2_ts7, b121_f8odd_lz4_sh2_ts8_cl1
    // and bcolz i4_zstd_sh2.
    for (const [ts, len] of [
      [7, 7997],
      [8, 8008],
      [4, 4028],
      [1, 65537],
      [2, 18],
    ] as const) {
      const src = randomBytes(len, len);
      expect(hex(filterBytes("bitshuffle", ts, src))).toBe(hex(src));
      expect(hex(filterBytes("bitunshuffle", ts, src))).toBe(hex(src));
    }
  });

  it("len < typesize and len 0: copied", () => {
    for (const ts of [2, 8, 16, 255]) {
      for (const len of [0, 1, ts - 1]) {
        const src = randomBytes(len, ts + len);
        expect(hex(filterBytes("bitshuffle", ts, src))).toBe(hex(src));
        expect(hex(filterBytes("bitunshuffle", ts, src))).toBe(hex(src));
      }
    }
  });

  it("trailing bytes are copied unchanged (259 bytes of typesize 4: 64 elements + 3)", () => {
    const src = randomBytes(259, 4);
    const out = filterBytes("bitshuffle", 4, src);
    expect(hex(out.subarray(256))).toBe(hex(src.subarray(256)));
    expect(hex(out)).toBe(hex(refBitshuffle(4, src)));
    expect(hex(filterBytes("bitunshuffle", 4, out))).toBe(hex(src));
  });

  it("rejects a bad typesize or length with a negative code", () => {
    const a = arena();
    a.reset();
    const p = a.alloc(64);
    for (const kind of ["bitshuffle", "bitunshuffle"] as const) {
      expect(a.kernels[kind](0, 16, p, p + 32, p + 48)).toBeLessThan(0);
      expect(a.kernels[kind](256, 16, p, p + 32, p + 48)).toBeLessThan(0);
      expect(a.kernels[kind](4, -1, p, p + 32, p + 48)).toBeLessThan(0);
    }
  });
});

describe("bitshuffle: against the reference", () => {
  it("every typesize 1..40 and 63..65, 255 with 0..20, 31..33, 127..129 groups of 8 elements", () => {
    const sizes = [...Array.from({ length: 40 }, (_, i) => i + 1), 63, 64, 65, 255];
    const groups = [...Array.from({ length: 21 }, (_, i) => i), 31, 32, 33, 127, 128, 129];
    for (const ts of sizes) {
      for (const g of groups) {
        if (ts >= 63 && g > 33) continue;
        for (const extra of new Set([0, 1, ts - 1])) {
          const len = 8 * g * ts + extra;
          check(ts, randomBytes(len, ts * 1009 + len));
        }
      }
    }
  });

  it("random typesize, element count a multiple of 8, trailing bytes (fast-check)", () => {
    fc.assert(
      fc.property(typesizeArb, fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 254 }), (ts, g, extra) => {
        const len = 8 * Math.min(g, Math.floor(5000 / ts)) * ts + (extra % ts);
        check(ts, randomBytes(len, len * 13 + ts));
      }),
      { numRuns: 300 },
    );
  });

  it("random typesize and length 0..5000, mostly the untransformed case (fast-check)", () => {
    fc.assert(
      fc.property(typesizeArb, fc.uint8Array({ maxLength: 5000 }), (ts, src) => check(ts, src)),
      { numRuns: 300 },
    );
  });

  it("misaligned src and dst", () => {
    fc.assert(
      fc.property(
        typesizeArb,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 15 }),
        (ts, g, so, dso) => {
          const len = 8 * g * Math.min(ts, 40) + (ts > 1 ? 1 : 0);
          check(ts, randomBytes(len, len + so * 16 + dso), so, dso);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("bitshuffle: large blocks", () => {
  const cases: Array<[number, number]> = [];
  for (const ts of [1, 2, 3, 4, 7, 8, 16, 32, 255]) {
    const body = Math.floor((300 * 1024) / (8 * ts)) * 8 * ts;
    cases.push([ts, body + (ts > 1 ? ts - 1 : 0)]);
  }
  cases.push([1, 262144], [4, 262144], [8, 262144], [16, 262144], [8, 262144 - 8]);
  it.each(cases)("typesize %i, %i bytes", (ts, len) => {
    check(ts, randomBytes(len, ts * 31 + len));
  });
});
