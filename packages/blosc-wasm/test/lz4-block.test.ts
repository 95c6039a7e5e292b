import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BloscError,
  lz4CompressBlock,
  lz4CompressBound,
  lz4DecompressBlock,
  ready,
  zstdCompress,
  zstdDecompress,
} from "../src/index.js";
import { lz4DecompressBytes } from "../src/wasm/kernels.js";

beforeAll(async () => {
  await ready();
});

function repetitive(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i % 97) ^ (i >> 10);
  return out;
}

describe("lz4CompressBlock / lz4DecompressBlock", () => {
  it("round trips, compresses repetitive data, and agrees with the chunk kernel", () => {
    const src = repetitive(300_000);
    const block = lz4CompressBlock(src);
    expect(block.length).toBeLessThan(src.length / 4);
    expect(lz4DecompressBlock(block, src.length)).toEqual(src);
    expect(lz4DecompressBytes(block, src.length)).toEqual(src);
  });

  it("returns the produced length when the limit is larger, and writes into a caller's buffer", () => {
    const src = new TextEncoder().encode("hello hello hello hello hello!");
    const block = lz4CompressBlock(src);
    const out = new Uint8Array(1000).fill(7);
    const got = lz4DecompressBlock(block, 1000, out);
    expect(got.buffer).toBe(out.buffer);
    expect(got).toEqual(src);
    expect(lz4DecompressBlock(block, 1000)).toEqual(src);
  });

  it("handles empty and incompressible input within the bound", () => {
    expect(lz4DecompressBlock(lz4CompressBlock(new Uint8Array(0)), 0)).toEqual(new Uint8Array(0));
    const noise = new Uint8Array(70_000);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      noise[i] = x >>> 24;
    }
    const block = lz4CompressBlock(noise, 4);
    expect(block.length).toBeLessThanOrEqual(lz4CompressBound(noise.length));
    expect(lz4DecompressBlock(block, noise.length)).toEqual(noise);
  });

  it("rejects malformed blocks and too-small limits with BloscError", () => {
    const src = repetitive(5000);
    const block = lz4CompressBlock(src);
    expect(() => lz4DecompressBlock(block, 100)).toThrow(BloscError);
    expect(() => lz4DecompressBlock(block.subarray(0, block.length - 3), src.length)).toThrow(BloscError);
    expect(() => lz4DecompressBlock(new Uint8Array(0), 10)).toThrow(BloscError);
    expect(() => lz4DecompressBlock(block, 10, new Uint8Array(5))).toThrow(BloscError);
  });

  it("property: decode(encode(x)) === x", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 20 }), (bytes, accel) => {
        const block = lz4CompressBlock(bytes, accel);
        expect(lz4DecompressBlock(block, bytes.length)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it("property: garbage never crashes, only throws BloscError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        try {
          lz4DecompressBlock(bytes, 4096);
        } catch (e) {
          expect(e).toBeInstanceOf(BloscError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("zstdCompress / zstdDecompress", () => {
  it("round trips standard frames with their content size", () => {
    const src = repetitive(200_000);
    const frame = zstdCompress(src, 3);
    expect([...frame.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
    expect(frame.length).toBeLessThan(src.length / 4);
    expect(zstdDecompress(frame)).toEqual(src);
    expect(zstdDecompress(frame, src.length)).toEqual(src);
    expect(() => zstdDecompress(frame, src.length + 1)).toThrow(BloscError);
    expect(zstdDecompress(zstdCompress(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it("rejects garbage", () => {
    expect(() => zstdDecompress(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(BloscError);
  });

  it("property: decode(encode(x)) === x at several levels", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 19 }), (bytes, level) => {
        expect(zstdDecompress(zstdCompress(bytes, level))).toEqual(bytes);
      }),
      { numRuns: 100 },
    );
  });
});
