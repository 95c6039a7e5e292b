import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BloscError } from "../../src/errors.js";
import { loadKernels } from "../../src/wasm/instance.js";
import { snappyDecompressBytes } from "../../src/wasm/kernels.js";
import { blosc1Manifest, readFixture } from "../fixtures.js";
import { decodeChunk, expectBytes, int32Ramp, parseChunk, runGuarded } from "./blosclz-snappy-helpers.js";

beforeAll(async () => {
  await loadKernels();
});

const decode = (s: Uint8Array, n: number) => snappyDecompressBytes(s, n);

// --- A writer for every element form (google/snappy format_description.txt) ---------------

type Elem = { lit: Uint8Array } | { len: number; offset: number; form: 1 | 2 | 4 };

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function writeSnappy(elems: Elem[], total: number): Uint8Array {
  const b: number[] = varint(total);
  for (const e of elems) {
    if ("lit" in e) {
      const m = e.lit.length - 1;
      if (m < 60) b.push(m << 2);
      else {
        const k = m < 0x100 ? 1 : m < 0x10000 ? 2 : m < 0x1000000 ? 3 : 4;
        b.push((59 + k) << 2);
        for (let i = 0; i < k; i++) b.push((m >>> (8 * i)) & 255);
      }
      for (const v of e.lit) b.push(v);
    } else if (e.form === 1) {
      b.push(1 | ((e.len - 4) << 2) | ((e.offset >> 8) << 5), e.offset & 255);
    } else if (e.form === 2) {
      b.push(2 | ((e.len - 1) << 2), e.offset & 255, e.offset >> 8);
    } else {
      b.push(3 | ((e.len - 1) << 2), e.offset & 255, (e.offset >> 8) & 255, (e.offset >> 16) & 255, e.offset >>> 24);
    }
  }
  return Uint8Array.from(b);
}

function expand(elems: Elem[]): Uint8Array {
  const out: number[] = [];
  for (const e of elems) {
    if ("lit" in e) for (const v of e.lit) out.push(v);
    else for (let i = 0; i < e.len; i++) out.push(out[out.length - e.offset]!);
  }
  return Uint8Array.from(out);
}

const elemsArb = fc
  .tuple(
    fc.uint8Array({ minLength: 1, maxLength: 80 }),
    fc.array(
      fc.oneof(
        { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 80 }).map((lit) => ({ lit })) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 61, max: 3000 }).map((n) => ({ lit: new Uint8Array(n).map((_, i) => i * 7) })),
        },
        {
          weight: 5,
          arbitrary: fc.record({
            form: fc.constantFrom(1 as const, 2 as const, 4 as const),
            len: fc.integer({ min: 1, max: 64 }),
            near: fc.integer({ min: 1, max: 40 }),
            frac: fc.double({ min: 0, max: 1, noNaN: true }),
            useFrac: fc.boolean(),
          }),
        },
      ),
      { maxLength: 80 },
    ),
  )
  .map(([first, rest]) => {
    const out: Elem[] = [{ lit: first }];
    let size = first.length;
    for (const r of rest) {
      if ("lit" in r) {
        out.push(r);
        size += r.lit.length;
        continue;
      }
      const maxOff = r.form === 1 ? Math.min(size, 2047) : r.form === 2 ? Math.min(size, 65535) : size;
      const offset = r.useFrac ? 1 + Math.floor(r.frac * (maxOff - 1)) : Math.min(r.near, maxOff);
      const len = r.form === 1 ? 4 + (r.len % 8) : r.len;
      out.push({ form: r.form, len, offset });
      size += len;
    }
    return out;
  });

// --- Fixtures ------------------------------------------------------------------------------

describe("snappyDecompress on c-blosc streams", () => {
  const chunks = blosc1Manifest().filter((c) => c.cname === "snappy");

  it("has the snappy fixtures", () => {
    expect(chunks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(chunks.map((c) => [c.file, c] as const))("%s", (_name, c) => {
    const chunk = readFixture("blosc1", c.file);
    expectBytes(decodeChunk(chunk, decode), readFixture("blosc1", c.raw));
    for (const b of parseChunk(chunk).blocks) {
      for (const s of b.streams)
        if (!s.raw) expect(runGuarded("snappyDecompress", s.payload, s.neblock)).toBe(s.neblock);
    }
  });

  it.each(
    ["1.3.0", "1.7.0", "1.11.1", "1.14.0"].map((v) => `blosc-${v}-snappy.cdata`),
  )("compat %s decodes to the int32 ramp", (file) => {
    const chunk = readFixture("blosc1", "compat", file);
    const c = parseChunk(chunk);
    expect(c.flags >> 5).toBe(2);
    expectBytes(decodeChunk(chunk, decode), int32Ramp(c.nbytes));
  });
});

// --- Generated streams ---------------------------------------------------------------------

describe("snappyDecompress on generated streams", () => {
  it("decodes every element form, overlapping copies included", () => {
    fc.assert(
      fc.property(elemsArb, (elems) => {
        const expected = expand(elems);
        expectBytes(decode(writeSnappy(elems, expected.length), expected.length), expected);
      }),
      { numRuns: 400 },
    );
  });

  it("copies every short offset forward, with each offset encoding", () => {
    const lit = new Uint8Array(40).map((_, i) => i * 29 + 1);
    for (let offset = 1; offset <= 40; offset++) {
      for (const form of [1, 2, 4] as const) {
        for (const len of form === 1 ? [4, 11] : [1, 15, 16, 17, 33, 64]) {
          const elems: Elem[] = [{ lit }, { form, len, offset }, { form, len, offset }, { lit: lit.subarray(0, 3) }];
          const expected = expand(elems);
          expectBytes(decode(writeSnappy(elems, expected.length), expected.length), expected);
        }
      }
    }
  });

  it("decodes literals with 1- to 4-byte length fields and an empty buffer", () => {
    for (const n of [60, 61, 256, 257, 65536, 65537, 70000]) {
      const lit = new Uint8Array(n).map((_, i) => (i * 13) ^ (i >> 8));
      expectBytes(decode(writeSnappy([{ lit }], n), n), lit);
    }
    const four = Uint8Array.from([...varint(3), 63 << 2, 2, 0, 0, 0, 7, 8, 9]); // 4-byte field for a short literal
    expect(Array.from(decode(four, 3))).toEqual([7, 8, 9]);
    expect(decode(Uint8Array.from([0]), 0).length).toBe(0);
  });
});

// --- Malformed input ------------------------------------------------------------------------

describe("snappyDecompress rejects malformed input", () => {
  const raw = (bytes: number[], dstLen: number) => runGuarded("snappyDecompress", Uint8Array.from(bytes), dstLen);

  it("returns the documented negative codes", () => {
    expect(raw([], 0)).toBe(-1); // no varint
    expect(raw([0x80], 0)).toBe(-1); // varint cut short
    expect(raw([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 0)).toBe(-5); // 6-byte varint
    expect(raw([0xff, 0xff, 0xff, 0xff, 0x1f], 100)).toBe(-5); // >= 2^32
    expect(raw([0x05, 0x00, 0xaa], 4)).toBe(-6); // declared 5, caller expects 4
    expect(raw([0x05, 0x00, 0xaa], 5)).toBe(-6); // output ends short
    expect(raw([0x03, 0x10, 1, 2, 3, 4, 5], 3)).toBe(-2); // literal past the declared length
    expect(raw([0x05, 0x10, 1, 2], 5)).toBe(-1); // literal past the input
    expect(raw([0x05, 0xf0], 5)).toBe(-1); // literal length byte missing
    expect(raw([0x05, 0xfc, 0xff, 0xff, 0xff, 0xff, 1], 5)).toBe(-1); // 2^32-byte literal
    expect(raw([0x05, 0x00, 0xaa, 0x0e, 0x00, 0x00], 5)).toBe(-3); // offset 0
    expect(raw([0x05, 0x00, 0xaa, 0x0e, 0x02, 0x00], 5)).toBe(-3); // offset before the output
    expect(raw([0x05, 0x00, 0xaa, 0x0f, 0x01, 0x00, 0x00, 0x80], 5)).toBe(-3); // 4-byte offset 2^31 + 1
    expect(raw([0x05, 0x00, 0xaa, 0x0e, 0x01], 5)).toBe(-1); // 2-byte offset cut short
    expect(raw([0x05, 0x00, 0xaa, 0x0f, 0x01, 0x00, 0x00], 5)).toBe(-1); // 4-byte offset cut short
    expect(raw([0x05, 0x00, 0xaa, 0x01], 5)).toBe(-1); // 1-byte offset missing
    expect(raw([0x05, 0x00, 0xaa, 0x1e, 0x01, 0x00], 5)).toBe(-2); // copy past the declared length
  });

  it("throws ERR_CORRUPT_CHUNK through the wrapper for every truncation of a real stream", () => {
    const s = parseChunk(readFixture("blosc1", "b121_rec16_snappy_sh2_ts16.blosc")).blocks[0]!.streams[0]!;
    expect(s.raw).toBe(false);
    for (let cut = 0; cut < s.payload.length; cut += cut < 300 ? 1 : 61) {
      let err: unknown = null;
      try {
        decode(s.payload.subarray(0, cut), s.neblock);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BloscError);
      expect((err as BloscError).code).toBe("ERR_CORRUPT_CHUNK");
    }
  });

  it("survives mutated real streams and random bytes (result negative or exactly dstLen)", () => {
    const streams = ["b121_f8walk_snappy_sh0_ts8", "b121_f8walk_snappy_sh1_ts8", "b121_rec16_snappy_sh2_ts16"]
      .flatMap((n) => parseChunk(readFixture("blosc1", `${n}.blosc`)).blocks.flatMap((b) => b.streams))
      .filter((s) => !s.raw);
    fc.assert(
      fc.property(
        fc.nat(streams.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (which, edits) => {
          const s = streams[which]!;
          const p = s.payload.slice();
          for (const [at, v] of edits) p[at % p.length] = v;
          const r = runGuarded("snappyDecompress", p, s.neblock);
          expect(r === s.neblock || r < 0).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600, size: "max" }), fc.nat(3000), (bytes, dstLen) => {
        const r = runGuarded("snappyDecompress", bytes, dstLen);
        expect(r === dstLen || r < 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
