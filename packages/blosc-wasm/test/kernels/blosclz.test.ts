import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BloscError } from "../../src/errors.js";
import { arena } from "../../src/wasm/arena.js";
import { getKernels, loadKernels } from "../../src/wasm/instance.js";
import { blosclzDecompressBytes, compressStreamBytes } from "../../src/wasm/kernels.js";
import { blosc1Manifest, readFixture } from "../fixtures.js";
import {
  decodeChunk,
  expand,
  expectBytes,
  type Instr,
  int32Ramp,
  makeData,
  parseChunk,
  refDecode,
  runGuarded,
  writeStream,
} from "./blosclz-snappy-helpers.js";

beforeAll(async () => {
  await loadKernels();
});

const decode = (s: Uint8Array, n: number) => blosclzDecompressBytes(s, n);

/** Instruction lists whose matches always reach inside the output written so far. */
const instrsArb = fc
  .tuple(
    fc.uint8Array({ minLength: 1, maxLength: 32 }),
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 32 }).map((l) => ({ lit: [...l] })) },
        {
          weight: 4,
          arbitrary: fc.record({
            len: fc.oneof(fc.integer({ min: 3, max: 40 }), fc.integer({ min: 3, max: 3000 })),
            near: fc.integer({ min: 1, max: 40 }),
            frac: fc.double({ min: 0, max: 1, noNaN: true }),
            useFrac: fc.boolean(),
          }),
        },
      ),
      { maxLength: 60 },
    ),
  )
  .map(([first, rest]) => {
    const out: Instr[] = [{ lit: [...first] }];
    let size = first.length;
    for (const r of rest) {
      if ("lit" in r) {
        out.push(r);
        size += r.lit.length;
      } else {
        const max = Math.min(size, 73727);
        const dist = r.useFrac ? 1 + Math.floor(r.frac * (max - 1)) : Math.min(r.near, max);
        out.push({ len: r.len, dist });
        size += r.len;
      }
    }
    return out;
  });

// --- Fixtures ------------------------------------------------------------------------------

describe("blosclzDecompress on c-blosc streams", () => {
  const chunks = blosc1Manifest().filter((c) => c.cname === "blosclz");

  it("covers the BloscLZ fixtures named in the brief", () => {
    const names = chunks.map((c) => c.file);
    for (const n of ["b121_far_blosclz_sh0_ts1_cl9", "b121_text_blosclz_sh0_ts1_cl9", "b121_zeros_blosclz_sh0_ts1"]) {
      expect(names).toContain(`${n}.blosc`);
    }
  });

  it.each(chunks.map((c) => [c.file, c] as const))("%s", (_name, c) => {
    const chunk = readFixture("blosc1", c.file);
    const raw = readFixture("blosc1", c.raw);
    expectBytes(decodeChunk(chunk, decode), raw);
    // The same streams through the reference decoder and the guarded runner.
    for (const b of parseChunk(chunk).blocks) {
      for (const s of b.streams) {
        if (s.raw) continue;
        expect(s.payload[0]! & 0xe0).toBe(0x20);
        expect(runGuarded("blosclzDecompress", s.payload, s.neblock)).toBe(s.neblock);
        expectBytes(decode(s.payload, s.neblock), refDecode(s.payload, s.neblock)!.out);
      }
    }
  });

  it("decodes a far-match stream (distance 10000) of b121_far_blosclz_sh0_ts1_cl9", () => {
    const s = parseChunk(readFixture("blosc1", "b121_far_blosclz_sh0_ts1_cl9.blosc")).blocks[0]!.streams[0]!;
    expect(s.raw).toBe(false);
    expect(refDecode(s.payload, s.neblock)!.maxDist).toBeGreaterThanOrEqual(8192);
  });

  const compat = ["1.3.0", "1.7.0", "1.11.1", "1.14.0", "1.18.0"].map((v) => `blosc-${v}-blosclz.cdata`);
  compat.push("blosc-1.18.0-blosclz-bitshuffle.cdata");
  it.each(compat)("compat %s decodes to the int32 ramp", (file) => {
    const chunk = readFixture("blosc1", "compat", file);
    const c = parseChunk(chunk);
    expect(c.flags >> 5).toBe(0);
    expectBytes(decodeChunk(chunk, decode), int32Ramp(c.nbytes));
  });

  it("decodes the worked stream of reference §8.2 (a run with length extensions)", () => {
    const s = Uint8Array.from([0x21, 0, 0, 0xe0, 0xff, 0xff, 0xff, 0xe4, 0x00, 0x02, 0, 0, 0]);
    expect(decode(s, 1007)).toEqual(new Uint8Array(1007));
  });
});

// --- Hand-made streams ------------------------------------------------------------------------

describe("blosclzDecompress on generated streams", () => {
  it("matches the byte-wise reference for every instruction form (overlaps, far, trailing match)", () => {
    fc.assert(
      fc.property(instrsArb, (instrs) => {
        const stream = writeStream(instrs);
        const expected = expand(instrs);
        expect(refDecode(stream, expected.length)?.out).toEqual(expected);
        expect(Buffer.from(decode(stream, expected.length)).equals(Buffer.from(expected))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("copies overlapping matches of every short distance forward", () => {
    for (let dist = 1; dist <= 32; dist++) {
      for (const len of [3, 15, 16, 17, 31, 33, 100, 600]) {
        const lit = Array.from({ length: 32 }, (_, i) => (i * 37 + dist) & 255);
        const instrs: Instr[] = [{ lit }, { len, dist }, { lit: [1, 2, 3] }];
        expect(decode(writeStream(instrs), 32 + len + 3)).toEqual(expand(instrs));
      }
    }
  });

  it("executes far matches of every distance class and a trailing match (lenient end)", () => {
    const lit = (seed: number) => ({ lit: Array.from({ length: 32 }, (_, i) => (i * 131 + seed * 7) & 255) });
    const instrs: Instr[] = [];
    for (let i = 0; i < 2400; i++) instrs.push(lit(i)); // 76800 distinct-ish bytes
    for (const dist of [8191, 8192, 8193, 10000, 65535, 73724, 73727]) {
      instrs.push({ len: 3, dist }, { len: 8, dist }, { len: 300, dist }, lit(dist));
    }
    instrs.push({ len: 5, dist: 73727 }); // ends on a match: c-blosc <= 1.18 executed it
    const expected = expand(instrs);
    expectBytes(decode(writeStream(instrs), expected.length), expected);
  });

  it("reads a near distance of 256 (hi 0, lo 255) as near, not far", () => {
    const lit = Array.from({ length: 32 }, (_, i) => i);
    const instrs: Instr[] = [];
    for (let i = 0; i < 8; i++) instrs.push({ lit: lit.map((v) => v + i) });
    instrs.push({ len: 462, dist: 256 }, { lit: [9] });
    const stream = writeStream(instrs);
    expect(Array.from(stream.subarray(264, 268))).toEqual([0xe0, 255, 198, 255]);
    expect(decode(stream, 256 + 462 + 1)).toEqual(expand(instrs));
  });
});

// --- Malformed input ------------------------------------------------------------------------

describe("blosclzDecompress rejects malformed input", () => {
  const raw = (bytes: number[], dstLen: number) => runGuarded("blosclzDecompress", Uint8Array.from(bytes), dstLen);

  it("returns the documented negative codes", () => {
    expect(raw([0x21, 7], 2)).toBe(-1); // literal run longer than the input
    expect(raw([0x20, 1, 0x40, 4], 10)).toBe(-3); // distance 5 before the start of the output
    expect(raw([0x20, 1, 0x40], 10)).toBe(-1); // match without its distance byte
    expect(raw([0x20, 1, 0x3f, 0xff, 0x00], 100)).toBe(-1); // far match without its 2nd distance byte
    expect(raw([0x20, 1, 0xe0, 255, 255], 5000)).toBe(-1); // length extension cut short
    expect(raw([0x20, 1, 0xe0, 255, 255, 1, 0], 100)).toBe(-2); // match past dstLen
    expect(raw([0x23, 1, 2, 3, 4], 3)).toBe(-2); // literals past dstLen
    expect(raw([0x20, 1, 0x3f, 0xff, 0x00, 0x00], 9000)).toBe(-3); // far distance 8192 at position 1
    expect(raw([], 0)).toBe(0); // no instructions produce nothing
  });

  it("never overflows the length sum on a long run of 255 extension bytes", () => {
    const bytes = [0x20, 1, 0xe0, ...new Array<number>(100000).fill(255), 0, 0];
    expect(raw(bytes, 1 << 20)).toBe(-2);
  });

  it("throws ERR_CORRUPT_CHUNK through the wrapper for every truncation of real streams", () => {
    const c = parseChunk(readFixture("blosc1", "b121_text_blosclz_sh0_ts1_cl9.blosc"));
    const s = c.blocks[0]!.streams[0]!;
    for (let cut = 0; cut < s.payload.length; cut += cut < 300 ? 1 : 97) {
      const err = (() => {
        try {
          decode(s.payload.subarray(0, cut), s.neblock);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(BloscError);
      expect((err as BloscError).code).toBe("ERR_CORRUPT_CHUNK");
    }
  });

  it("survives mutated real streams and random bytes (result negative or within dstLen)", () => {
    const streams = [
      "b121_far_blosclz_sh0_ts1_cl9",
      "b121_zeros_blosclz_sh0_ts1",
      "b118_256KB_randint1000_blosclz_sh1_ts8",
    ]
      .flatMap((n) => parseChunk(readFixture("blosc1", `${n}.blosc`)).blocks.flatMap((b) => b.streams))
      .filter((s) => !s.raw);
    fc.assert(
      fc.property(
        fc.nat(streams.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: -3, max: 3 }),
        (which, edits, lenDelta) => {
          const s = streams[which]!;
          const p = s.payload.slice();
          for (const [at, v] of edits) p[at % p.length] = v;
          const r = runGuarded("blosclzDecompress", p, Math.max(0, s.neblock + lenDelta));
          expect(r <= s.neblock + lenDelta).toBe(true);
          if (r !== s.neblock + lenDelta) {
            expect(() => decode(p, s.neblock + lenDelta)).toThrow(BloscError);
          }
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(20000), (bytes, dstLen) => {
        const r = runGuarded("blosclzDecompress", bytes, dstLen);
        expect(r <= dstLen).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

// --- Encoder --------------------------------------------------------------------------------

describe("blosclzCompress", () => {
  function roundTrip(src: Uint8Array, clevel: number, split: boolean): Uint8Array | null {
    const c = compressStreamBytes("blosclz", src, clevel, src.length, split);
    if (c === null) return null;
    expect(c.length).toBeLessThanOrEqual(src.length);
    expect(c[0]! & 0xe0).toBe(0x20);
    const ref = refDecode(c, src.length);
    expect(ref).not.toBeNull();
    expect(ref!.endsWithLiteral).toBe(true); // c-blosc >= 1.19 requires it
    expect(Buffer.from(ref!.out).equals(Buffer.from(src))).toBe(true);
    expect(Buffer.from(decode(c, src.length)).equals(Buffer.from(src))).toBe(true);
    return c;
  }

  it("round-trips arbitrary bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000, size: "max" }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (src, cl, split) => {
          roundTrip(src, cl, split);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("round-trips arbitrary low-entropy bytes (repeated arbitrary pieces, small alphabets)", () => {
    const repeated = fc
      .array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 60 })), {
        maxLength: 200,
        size: "max",
      })
      .map((parts) => {
        const out: number[] = [];
        for (const [piece, times] of parts) for (let t = 0; t < times; t++) out.push(...piece);
        return Uint8Array.from(out);
      });
    const alphabet = fc
      .array(fc.integer({ min: 0, max: 3 }), { maxLength: 20000, size: "max" })
      .map((a) => Uint8Array.from(a));
    let compressed = 0;
    fc.assert(
      fc.property(fc.oneof(repeated, alphabet), fc.integer({ min: 1, max: 9 }), fc.boolean(), (src, cl, split) => {
        if (roundTrip(src, cl, split) !== null) compressed++;
      }),
      { numRuns: 300 },
    );
    expect(compressed).toBeGreaterThan(150); // the encoder really ran, not only the raw fallback
  });

  it("round-trips generated data of 0..300000 bytes at every clevel and split", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 200 }),
          fc.integer({ min: 0, max: 300000 }),
          fc.integer({ min: 200000, max: 300000 }),
        ),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (size, kind, seed, cl, split) => {
          const c = roundTrip(makeData(size, kind, seed), cl, split);
          if (kind === 2 && size >= 1024) expect(c).not.toBeNull();
        },
      ),
      { numRuns: 120 },
    );
  });

  it("finds far matches (distance >= 8192) and long runs", () => {
    const block = makeData(10000, 0, 7);
    const src = new Uint8Array(40000);
    src.set(block, 0);
    src.set(block, 10000); // a copy at distance 10000
    const c = roundTrip(src, 9, false)!;
    expect(c.length).toBeLessThan(10600); // ~10000 literals + 32 count bytes per 32
    const zeros = roundTrip(new Uint8Array(65536), 5, true)!;
    expect(zeros.length).toBeLessThan(300);
  });

  it("gives up below 16 input bytes, under a 66-byte budget, and when the result does not fit", () => {
    expect(compressStreamBytes("blosclz", new Uint8Array(15), 5)).toBeNull();
    expect(compressStreamBytes("blosclz", new Uint8Array(65), 5, 65)).toBeNull();
    const src = makeData(5000, 1, 3);
    const c = compressStreamBytes("blosclz", src, 5, src.length, true)!;
    expect(c).not.toBeNull();
    expect(compressStreamBytes("blosclz", src, 5, c.length, true)).toEqual(c);
    expect(compressStreamBytes("blosclz", src, 5, c.length - 1, true)).toBeNull();
  });

  it("stores incompressible data raw (the entropy probe gives up)", () => {
    for (let cl = 1; cl <= 9; cl++) expect(compressStreamBytes("blosclz", makeData(32768, 0, cl), cl)).toBeNull();
  });

  it("never writes more than 32 bytes past dstCap", () => {
    const k = getKernels();
    const a = arena();
    for (const [size, kind] of [
      [4000, 1],
      [70000, 3],
      [300, 2],
    ] as const) {
      const src = makeData(size, kind, size);
      a.reset();
      const sp = a.put(src);
      for (const cap of [66, 100, 500, size >> 2, size]) {
        const dp = a.alloc(cap + 200);
        a.bytes().fill(0x77, dp, dp + cap + 200);
        const n = k.blosclzCompress(sp, size, dp, cap, 5, 1);
        expect(n).toBeLessThanOrEqual(cap);
        const mem = a.bytes();
        for (let i = cap + 32; i < cap + 200; i++) expect(mem[dp + i]).toBe(0x77);
      }
    }
  });
});
