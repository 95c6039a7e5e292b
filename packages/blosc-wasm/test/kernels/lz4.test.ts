import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { arena } from "../../src/wasm/arena.js";
import { getKernels, loadKernels } from "../../src/wasm/instance.js";
import { compressStreamBytes, lz4DecompressBytes } from "../../src/wasm/kernels.js";
import { blosc1Manifest, readFixture } from "../fixtures.js";
import {
  decodeLz4Chunk,
  expandBlock,
  expectCorrupt,
  expectSame,
  type Kind,
  makeData,
  parseBlock,
  parseHeader,
  randomBytes,
  rawDecode,
  type Seq,
  writeBlock,
} from "./lz4-helpers.js";

beforeAll(async () => {
  await loadKernels();
});

// ---------------------------------------------------------------------------------------------
// (a) Streams written by c-blosc.

describe("lz4Decompress on c-blosc streams", () => {
  const chunks = blosc1Manifest().filter(
    (c) => (c.cname === "lz4" || c.cname === "lz4hc") && !c.memcpyed && c.shuffle !== 2,
  );

  it("covers the fixtures the brief names", () => {
    const names = chunks.map((c) => c.file);
    expect(names).toContain("b121_zeros_lz4_sh0_ts1.blosc");
    expect(names).toContain("b121_far_lz4_sh0_ts1.blosc");
    expect(chunks.length).toBeGreaterThanOrEqual(15);
  });

  it.each(chunks.map((c) => [c.file, c] as const))("%s", (_name, c) => {
    const got = decodeLz4Chunk(parseHeader(readFixture("blosc1", c.file)));
    expectSame(got, readFixture("blosc1", c.raw));
  });

  it("decodes the bitshuffled chunks' streams to the right length", () => {
    for (const c of blosc1Manifest().filter((c) => c.cname.startsWith("lz4") && !c.memcpyed && c.shuffle === 2)) {
      const chunk = parseHeader(readFixture("blosc1", c.file));
      expect(decodeLz4Chunk({ ...chunk, flags: chunk.flags & ~0x04 }).length).toBe(c.nbytes);
    }
  });

  it.each([
    "blosc-1.3.0-lz4.cdata",
    "blosc-1.11.1-lz4.cdata",
    "blosc-1.11.1-lz4hc.cdata",
    "blosc-1.18.0-lz4.cdata",
    "blosc-1.18.0-lz4hc.cdata",
  ])("compat %s (int32 ramp, blocks up to 512 KB in one stream)", (file) => {
    const chunk = parseHeader(readFixture("blosc1", "compat", file));
    const got = decodeLz4Chunk(chunk);
    const want = new Uint8Array(new Int32Array(1000000).map((_, i) => i).buffer).subarray(0, chunk.nbytes);
    expectSame(got, want);
  });
});

describe("lz4Decompress on hand-made streams", () => {
  it("copies overlapping matches forward for offsets 1..20 and many lengths", () => {
    for (let offset = 1; offset <= 20; offset++) {
      for (const len of [4, 5, 15, 16, 17, 18, 19, 20, 31, 32, 33, 63, 64, 65, 255, 256, 270, 1000, 4099, 20000]) {
        const seqs: Seq[] = [
          { lit: randomBytes(offset, offset * 7 + len), offset, len },
          { lit: randomBytes(3, len), offset: offset + 3, len: 7 },
          { lit: randomBytes(5, 1), offset: 0, len: 0 },
        ];
        const want = expandBlock(seqs);
        expectSame(lz4DecompressBytes(writeBlock(seqs), want.length), want);
      }
    }
  });

  it("decodes literal runs and length extensions around 15, 255 and 16-byte boundaries", () => {
    for (const lit of [0, 1, 14, 15, 16, 17, 31, 32, 33, 269, 270, 271, 300, 5000]) {
      for (const len of [4, 18, 19, 34, 273, 274, 529]) {
        const seqs: Seq[] = [
          { lit: randomBytes(40, 3), offset: 17, len: 20 },
          { lit: randomBytes(lit, lit + len), offset: 40, len },
          { lit: randomBytes(lit % 7, 5), offset: 1, len: 300 },
          { lit: randomBytes(lit % 20, 6), offset: 0, len: 0 },
        ];
        const want = expandBlock(seqs);
        expectSame(lz4DecompressBytes(writeBlock(seqs), want.length), want);
      }
    }
  });

  it("accepts a far offset (65535) and an empty block", () => {
    const seqs: Seq[] = [
      { lit: randomBytes(70000, 9), offset: 65535, len: 1000 },
      { lit: randomBytes(5, 2), offset: 0, len: 0 },
    ];
    const want = expandBlock(seqs);
    expectSame(lz4DecompressBytes(writeBlock(seqs), want.length), want);
    expect(lz4DecompressBytes(Uint8Array.of(0), 0).length).toBe(0);
  });

  it("decodes random valid sequence lists (fast-check)", () => {
    const seqArb = fc.record({
      lit: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 600 })),
      back: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 70000 })),
      len: fc.oneof(fc.integer({ min: 4, max: 40 }), fc.integer({ min: 4, max: 3000 })),
    });
    fc.assert(
      fc.property(
        fc.array(seqArb, { maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(),
        (list, tail, seed) => {
          const seqs: Seq[] = [];
          let size = 0;
          for (const [i, s] of list.entries()) {
            const lit = randomBytes(Math.max(s.lit, i === 0 ? 1 : 0), seed + i);
            size += lit.length;
            seqs.push({ lit, offset: Math.min(s.back, size, 65535), len: s.len });
            size += s.len;
          }
          seqs.push({ lit: randomBytes(tail, seed), offset: 0, len: 0 });
          const want = expandBlock(seqs);
          expectSame(lz4DecompressBytes(writeBlock(seqs), want.length), want);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (b), (c) Encoders: round trips and end-of-block rules.

/** Checks every rule a strict LZ4 decoder relies on (plain loop: blocks have ~10^5 sequences). */
function checkBlockRules(z: Uint8Array, n: number): void {
  const seqs = parseBlock(z);
  const last = seqs[seqs.length - 1]!;
  const broken: string[] = [];
  if (last.len !== 0) broken.push("last sequence has a match");
  if (last.start !== n) broken.push(`block decodes to ${last.start} bytes, not ${n}`);
  if (n < 13 && seqs.length !== 1) broken.push("input under 13 bytes has a match");
  for (const s of seqs.slice(0, -1)) {
    if (s.offset < 1 || s.offset > Math.min(65535, s.start)) broken.push(`offset ${s.offset} at ${s.start}`);
    if (s.start > n - 12) broken.push(`match starts at ${s.start}, < 12 bytes before the end`);
    if (s.start + s.len > n - 5) broken.push(`match ends at ${s.start + s.len}, inside the last 5 bytes`);
    if (broken.length > 0) break;
  }
  expect(broken).toEqual([]);
}

function roundTrip(kind: "lz4" | "lz4hc", data: Uint8Array, effort: number): Uint8Array | null {
  // Capacity of a little more than the worst case, so every input must compress.
  const z = compressStreamBytes(kind, data, effort, data.length + Math.ceil(data.length / 255) + 16);
  expect(z).not.toBeNull();
  checkBlockRules(z!, data.length);
  expectSame(lz4DecompressBytes(z!, data.length), data);
  return z;
}

const kindArb = fc.constantFrom<Kind>("random", "runs", "period", "walk", "ints", "text");
const sizeArb = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 0, max: 300000 }),
);

describe("lz4Compress", () => {
  it("round-trips arbitrary bytes at every acceleration", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 10 }), (data, acc) => {
        roundTrip("lz4", data, acc);
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips low-entropy and numeric data up to 300 KB at every acceleration", () => {
    fc.assert(
      fc.property(
        kindArb,
        sizeArb,
        fc.integer({ min: 1, max: 10 }),
        fc.nat(),
        fc.integer({ min: 1, max: 40 }),
        (kind, n, acc, seed, period) => {
          roundTrip("lz4", makeData(kind, n, seed, period), acc);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("handles every acceleration 1..10 (and out-of-range values) on every kind of data", () => {
    for (const kind of ["random", "runs", "period", "walk", "ints", "text"] as const) {
      const data = makeData(kind, 100000, 5, 3);
      const sizes = [];
      for (let acc = 1; acc <= 10; acc++) sizes.push(roundTrip("lz4", data, acc)!.length);
      if (kind === "walk" || kind === "text") expect(sizes[9]).toBeGreaterThan(sizes[0]!); // speed for ratio
    }
    for (const acc of [-5, 0, 100, 70000]) roundTrip("lz4", makeData("text", 30000, 1, 1), acc);
  });

  it("respects the end-of-block rules on inputs of every small size", () => {
    for (let n = 0; n <= 64; n++) {
      for (const kind of ["runs", "period", "random"] as const) {
        roundTrip("lz4", makeData(kind, n, n, 3), 1);
        roundTrip("lz4hc", makeData(kind, n, n, 3), 9);
      }
    }
  });

  it("returns null (0) when the block does not fit, and fits exactly when it can", () => {
    const data = makeData("text", 20000, 1, 1);
    const z = compressStreamBytes("lz4", data, 1, data.length)!;
    expect(compressStreamBytes("lz4", data, 1, z.length)).toEqual(z);
    expect(compressStreamBytes("lz4", data, 1, z.length - 1)).toBeNull();
    expect(compressStreamBytes("lz4", randomBytes(5000, 1), 1, 5000)).toBeNull();
    expect(compressStreamBytes("lz4", new Uint8Array(0), 1, 1)).toEqual(Uint8Array.of(0));
  });

  it("keeps offsets within 64 KB on multi-megabyte inputs", () => {
    const data = makeData("text", 3 << 20, 8, 1);
    roundTrip("lz4", data, 1);
    const runs = makeData("runs", 4 << 20, 9, 1);
    roundTrip("lz4", runs, 3);
  });

  it("compresses zero runs and shuffled numbers well", () => {
    expect(roundTrip("lz4", new Uint8Array(65536), 1)!.length).toBeLessThan(300);
    expect(roundTrip("lz4", makeData("ints", 65536, 2, 1), 1)!.length).toBeLessThan(65536 / 3);
  });
});

describe("lz4hcCompress", () => {
  it("round-trips arbitrary bytes at every level", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 9 }), (data, level) => {
        roundTrip("lz4hc", data, level);
      }),
      { numRuns: 200 },
    );
  });

  it("round-trips low-entropy and numeric data up to 300 KB at every level", () => {
    fc.assert(
      fc.property(
        kindArb,
        sizeArb,
        fc.integer({ min: 1, max: 9 }),
        fc.nat(),
        fc.integer({ min: 1, max: 40 }),
        (kind, n, level, seed, period) => {
          roundTrip("lz4hc", makeData(kind, n, seed, period), level);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("handles every level 1..9 on every kind of data", () => {
    for (const kind of ["random", "runs", "period", "walk", "ints", "text"] as const) {
      const data = makeData(kind, 60000, 6, 5);
      for (let level = 1; level <= 9; level++) roundTrip("lz4hc", data, level);
    }
  });

  it("beats lz4Compress and improves with the level", () => {
    for (const kind of ["text", "ints", "walk"] as const) {
      const data = makeData(kind, 65536, 4, 1);
      const fast = roundTrip("lz4", data, 1)!.length;
      const hc1 = roundTrip("lz4hc", data, 1)!.length;
      const hc9 = roundTrip("lz4hc", data, 9)!.length;
      expect(hc1).toBeLessThanOrEqual(fast);
      expect(hc9).toBeLessThanOrEqual(hc1);
    }
    for (const level of [-1, 0, 10, 12, 99]) roundTrip("lz4hc", makeData("text", 20000, 1, 1), level);
  });

  it("keeps offsets within 64 KB on multi-megabyte inputs", () => {
    roundTrip("lz4hc", makeData("text", 2 << 20, 8, 1), 4);
    roundTrip("lz4hc", makeData("period", 2 << 20, 8, 7), 9);
  });
});

// ---------------------------------------------------------------------------------------------
// (d) Malformed input: a negative code or a wrong length, never a crash, hang or stray write.

describe("lz4Decompress on malformed input", () => {
  it("rejects offset 0, offsets before the output start, overflow and truncation", () => {
    const lit = randomBytes(10, 1);
    // offset 0
    expect(
      rawDecode(
        writeBlock([
          { lit, offset: 0, len: 4 },
          { lit: lit.subarray(0, 5), offset: 0, len: 0 },
        ]),
        19,
      ),
    ).toBeLessThan(0);
    // offset reaching before the start
    expect(
      rawDecode(
        writeBlock([
          { lit, offset: 11, len: 4 },
          { lit: lit.subarray(0, 5), offset: 0, len: 0 },
        ]),
        19,
      ),
    ).toBeLessThan(0);
    // output larger than dstLen (literals, then a match)
    expect(rawDecode(writeBlock([{ lit, offset: 0, len: 0 }]), 9)).toBeLessThan(0);
    expect(
      rawDecode(
        writeBlock([
          { lit, offset: 5, len: 40 },
          { lit, offset: 0, len: 0 },
        ]),
        59,
      ),
    ).toBeLessThan(0);
    // truncated: inside literals, inside the offset, after a match, inside a length extension
    const good = writeBlock([
      { lit, offset: 5, len: 300 },
      { lit, offset: 0, len: 0 },
    ]);
    expect(rawDecode(good, 320)).toBe(320);
    for (let cut = 0; cut < good.length; cut++) {
      // Cut right after the first literal run, the block is valid but decodes to 10 bytes.
      expect(rawDecode(good.subarray(0, cut), 320)).toBe(cut === 11 ? 10 : -1);
      expectCorrupt(good.subarray(0, cut), 320);
    }
    expect(rawDecode(Uint8Array.of(0xf0, 255, 255, 255), 5000)).toBeLessThan(0);
    expect(rawDecode(new Uint8Array(0), 0)).toBeLessThan(0);
    // a wrong length only: the block is fine but shorter than expected
    expectCorrupt(good, 321);
    expectCorrupt(good, 319);
  });

  it("survives mutated and truncated encoder output (fast-check)", () => {
    fc.assert(
      fc.property(
        kindArb,
        fc.integer({ min: 0, max: 20000 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (kind, n, seed, flips, cutSeed) => {
          const data = makeData(kind, n, seed, 5);
          const z = compressStreamBytes("lz4", data, 1, n + 100)!.slice();
          for (const [at, v] of flips) z[at % z.length] = v;
          const cut = z.subarray(0, cutSeed % (z.length + 1));
          for (const s of [z, cut]) {
            // A cut right after a literal run is a valid, shorter block: any result <= n.
            const r = rawDecode(s, n);
            expect(r).toBeLessThanOrEqual(n);
            if (r !== n) expectCorrupt(s, n);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never reads past src + srcLen + 32 nor writes past dst + dstLen + 32 (garbage input)", () => {
    // The input, then the output, is placed flush against the end of wasm memory, beyond the
    // arena: any access outside the allowed windows traps. A canary guards the 64 bytes
    // before the output.
    const k = getKernels();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.integer({ min: 0, max: 3000 }), (src, outLen) => {
        const a = arena();
        a.reset();
        const dst1 = a.alloc(outLen);
        if (k.memory.buffer.byteLength - (dst1 + outLen + 64) < 65536) k.memory.grow(1);
        const end = k.memory.buffer.byteLength;
        const mem = new Uint8Array(k.memory.buffer);
        const s1 = end - 32 - src.length;
        mem.set(src, s1);
        const r1 = k.lz4Decompress(s1, src.length, dst1, outLen);
        expect(r1).toBeLessThanOrEqual(outLen);
        const d = end - 32 - outLen;
        const s2 = d - 64 - 32 - src.length;
        mem.set(src, s2);
        mem.fill(0xa5, d - 64, d);
        expect(k.lz4Decompress(s2, src.length, d, outLen)).toBe(r1);
        for (let i = d - 64; i < d; i++) expect(mem[i]).toBe(0xa5);
      }),
      { numRuns: 500 },
    );
  });
});
