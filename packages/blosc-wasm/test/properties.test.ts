import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BloscError, type Cname, chunkInfo, compress, decompress, ready, type Shuffle } from "../src/index.js";
import { inputArb, makeData } from "./data.js";

const cnameArb = fc.constantFrom<Cname>("blosclz", "lz4", "lz4hc", "zlib", "zstd");
const shuffleArb = fc.constantFrom<Shuffle>("noshuffle", "shuffle", "bitshuffle");

beforeAll(async () => {
  await ready();
});

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** Decoding must either succeed or throw a BloscError: nothing else, never a hang. */
function decodeSafely(chunk: Uint8Array): void {
  try {
    decompress(chunk);
  } catch (e) {
    if (!(e instanceof BloscError)) throw e;
    expect(e.code).toMatch(/^ERR_/);
  }
}

describe("round trip", () => {
  it("decompress(compress(x)) === x for arbitrary bytes and parameters", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 9 }),
        shuffleArb,
        cnameArb,
        (data, typesize, clevel, shuffle, cname) => {
          const chunk = compress(data, { typesize, clevel, shuffle, cname });
          expect(chunkInfo(chunk).cbytes).toBe(chunk.length);
          expect(chunk.length).toBeLessThanOrEqual(data.length + 16);
          expect(same(decompress(chunk), data)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("headroom: the same chunk after that many zero bytes; bad values are refused", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 9 }),
        cnameArb,
        fc.integer({ min: 0, max: 64 }),
        (data, typesize, clevel, cname, headroom) => {
          const plain = compress(data, { typesize, clevel, cname });
          const roomy = compress(data, { typesize, clevel, cname, headroom });
          expect(roomy.length).toBe(headroom + plain.length);
          expect(roomy.subarray(0, headroom).every((b) => b === 0)).toBe(true);
          expect(same(roomy.subarray(headroom), plain)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
    for (const headroom of [-1, 1.5, 4097]) {
      expect(() => compress(new Uint8Array(8), { typesize: 1, headroom })).toThrow(BloscError);
    }
  });

  it("round trips structured data of every layout, with forced block sizes", () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.integer({ min: 0, max: 9 }),
        shuffleArb,
        cnameArb,
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200_000 })),
        (inp, clevel, shuffle, cname, blocksize) => {
          const data = makeData(inp.kind, inp.nbytes, inp.typesize, inp.seed);
          const chunk = compress(data, { typesize: inp.typesize, clevel, shuffle, cname, blocksize });
          const out = new Uint8Array(data.length);
          decompress(chunk, out);
          expect(same(out, data)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("accepts any typed array and ArrayBuffer as input and output", () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 100);
    const chunk = compress(values, { typesize: 8 });
    const out = new Float64Array(values.length);
    decompress(chunk, out.buffer);
    expect(out).toEqual(values);
    expect(chunkInfo(compress(values.buffer, { typesize: 8 })).nbytes).toBe(80_000);
  });
});

describe("hostile input", () => {
  it("mutated chunks decode or throw BloscError, never anything else", () => {
    fc.assert(
      fc.property(
        inputArb,
        cnameArb,
        shuffleArb,
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (inp, cname, shuffle, flips, cut) => {
          const data = makeData(inp.kind, Math.min(inp.nbytes, 100_000), inp.typesize, inp.seed);
          const chunk = compress(data, { typesize: inp.typesize, cname, shuffle, clevel: 5 });
          for (const f of flips) chunk[f.at % chunk.length] = f.value;
          decodeSafely(cut === undefined ? chunk : chunk.subarray(0, cut % (chunk.length + 1)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("random bytes behind a plausible header decode or throw BloscError", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.uint8Array({ maxLength: 3000 }),
        (flags, typesize, nbytes, blocksize, body) => {
          const chunk = new Uint8Array(16 + body.length);
          const v = new DataView(chunk.buffer);
          chunk.set([2, 1, flags & ~0x08, typesize]);
          v.setUint32(4, nbytes, true);
          v.setUint32(8, blocksize, true);
          v.setUint32(12, chunk.length, true);
          chunk.set(body, 16);
          decodeSafely(chunk);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("names what is wrong", () => {
    expect(() => decompress(new Uint8Array(5))).toThrow(/shorter than the 16-byte header/);
    const chunk = compress(new Uint8Array(1000).fill(7), { typesize: 1 });
    expect(() => decompress(chunk.subarray(0, chunk.length - 1))).toThrow(/exceeds the .* bytes given/);
    expect(() => decompress(chunk, new Uint8Array(10))).toThrow(
      expect.objectContaining({ code: "ERR_BUFFER_TOO_SMALL" }),
    );
    const huge = chunk.slice();
    new DataView(huge.buffer).setUint32(4, 2_000_000_000, true);
    expect(() => decompress(huge)).toThrow(expect.objectContaining({ code: "ERR_CORRUPT_CHUNK" }));
  });

  it("rejects bad parameters with ERR_BAD_PARAMS naming the option", () => {
    const data = new Uint8Array(10);
    expect(() => compress(data, { typesize: 0 })).toThrow(/typesize/);
    expect(() => compress(data, { typesize: 4, clevel: 10 })).toThrow(/clevel/);
    expect(() => compress(data, { typesize: 4, cname: "lzma" as Cname })).toThrow(/cname/);
    expect(() => compress(data, { typesize: 4, shuffle: "yes" as Shuffle })).toThrow(/shuffle/);
    expect(() => compress(data, { typesize: 4, cname: "snappy" as Cname })).toThrow(
      expect.objectContaining({ code: "ERR_UNSUPPORTED" }),
    );
    expect(() => compress("text" as unknown as Uint8Array, { typesize: 1 })).toThrow(
      expect.objectContaining({ code: "ERR_BAD_PARAMS" }),
    );
  });
});
