import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ready } from "@colz/blosc-wasm";
import { ColzError } from "@colz/format";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { lz4FrameDecode, lz4FrameEncode } from "../../src/arrow/lz4-frame.js";
import { xxh32 } from "../../src/arrow/xxhash32.js";
import { sameBytes } from "./helpers.js";

beforeAll(async () => {
  await ready();
});

const text = (s: string) => new TextEncoder().encode(s);

/** The content of the fixtures (see fixtures/README.md). */
function lz4Content(): Uint8Array {
  const words = [
    "colz",
    "arrow",
    "frame",
    "block",
    "linked",
    "chunk",
    "bcolz",
    "blosc",
    "lz4",
    "zstd",
    "table",
    "column",
  ];
  let x = 42;
  let s = "";
  while (s.length < 150000) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += words[x % words.length] + ((x >>> 8) % 7 === 0 ? "\n" : " ");
  }
  return text(s.slice(0, 150000));
}

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

/** lz4-napi (Rust lz4_flex) from the bench app, as an independent frame implementation. */
function lz4Napi(): { compressFrameSync(b: Buffer): Buffer; decompressFrameSync(b: Buffer): Buffer } | undefined {
  try {
    const require = createRequire(new URL("../../../../apps/bench/package.json", import.meta.url));
    return require("lz4-napi");
  } catch {
    return undefined;
  }
}

describe("xxh32", () => {
  it("matches the reference vectors", () => {
    expect(xxh32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxh32(text("a"))).toBe(0x550d7456);
    expect(xxh32(text("abc"))).toBe(0x32d153ff);
    expect(xxh32(text("Nobody inspects the spammish repetition"))).toBe(0xe2293b2f);
  });
});

describe("LZ4 frame", () => {
  it("writes the spec's header: magic, FLG, BD, content size, header checksum", () => {
    const src = text("hello hello hello hello hello");
    const frame = lz4FrameEncode(src);
    expect([...frame.subarray(0, 4)]).toEqual([0x04, 0x22, 0x4d, 0x18]);
    expect(frame[4]).toBe(0x68); // version 01, independent blocks, content size
    expect(frame[5]).toBe(0x40); // 64 KB blocks
    expect(new DataView(frame.buffer).getBigUint64(6, true)).toBe(BigInt(src.length));
    expect(frame[14]).toBe((xxh32(frame.subarray(4, 14)) >>> 8) & 0xff);
    expect([...frame.subarray(frame.length - 4)]).toEqual([0, 0, 0, 0]); // end mark
    expect(lz4FrameDecode(frame)).toEqual(src);
  });

  it("decodes the canonical empty frame (header checksum 0xA7, content checksum of nothing)", () => {
    const empty = new Uint8Array([0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0, 0, 0, 0, 0x05, 0x5d, 0xcc, 0x02]);
    expect(lz4FrameDecode(empty)).toEqual(new Uint8Array(0));
    const bad = empty.slice();
    bad[6] = 0xa6;
    expect(() => lz4FrameDecode(bad)).toThrow(/header checksum/);
    const badContent = empty.slice();
    badContent[11] = 0;
    expect(() => lz4FrameDecode(badContent)).toThrow(/content checksum/);
  });

  it("decodes frames of the reference lz4 tool: linked blocks, block and content checksums", () => {
    const content = lz4Content();
    expect(sameBytes(lz4FrameDecode(fixture("linked-blocks.lz4")), content)).toBe(true);
    expect(sameBytes(lz4FrameDecode(fixture("block-checksums.lz4")), content)).toBe(true);
    const flipped = fixture("block-checksums.lz4");
    flipped[200] ^= 1;
    expect(() => lz4FrameDecode(flipped)).toThrow(ColzError);
  });

  it("round trips multi-block, incompressible, empty and checksummed content", () => {
    const big = new Uint8Array(5 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) ^ (i >> 12);
    const frame = lz4FrameEncode(big);
    expect(frame[5]).toBe(0x70); // 4 MB blocks
    expect(sameBytes(lz4FrameDecode(frame), big)).toBe(true);
    const noise = new Uint8Array(100_000).map((_, i) => (Math.imul(i, 2654435761) >>> 13) & 255);
    expect(sameBytes(lz4FrameDecode(lz4FrameEncode(noise, { blockSize: 65536 })), noise)).toBe(true);
    expect(lz4FrameDecode(lz4FrameEncode(new Uint8Array(0)))).toEqual(new Uint8Array(0));
    const checked = lz4FrameEncode(big.subarray(0, 300_000), { contentChecksum: true, contentSize: false });
    expect(checked[4]).toBe(0x64);
    expect(sameBytes(lz4FrameDecode(checked), big.subarray(0, 300_000))).toBe(true);
  });

  it("skips skippable frames and concatenates frames", () => {
    const a = lz4FrameEncode(text("first "));
    const b = lz4FrameEncode(text("second"));
    const skip = new Uint8Array([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
    const all = new Uint8Array([...a, ...skip, ...b]);
    expect(new TextDecoder().decode(lz4FrameDecode(all))).toBe("first second");
  });

  it("rejects malformed frames with ColzError, never anything else", () => {
    const frame = lz4FrameEncode(lz4Content().subarray(0, 20_000));
    expect(() => lz4FrameDecode(frame.subarray(0, frame.length - 2))).toThrow(ColzError);
    expect(() => lz4FrameDecode(text("not a frame"))).toThrow(ColzError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: frame.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = frame.slice();
        bad[at]! ^= x;
        try {
          lz4FrameDecode(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(ColzError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with an independent implementation (lz4-napi) both ways", (ctx) => {
    const napi = lz4Napi();
    if (napi === undefined) {
      console.warn("lz4-napi (apps/bench) is not installed: skipping the cross-implementation check");
      ctx.skip();
      return;
    }
    const content = lz4Content();
    const ours = lz4FrameEncode(content);
    expect(sameBytes(new Uint8Array(napi.decompressFrameSync(Buffer.from(ours))), content)).toBe(true);
    const theirs = new Uint8Array(napi.compressFrameSync(Buffer.from(content)));
    expect(sameBytes(lz4FrameDecode(theirs), content)).toBe(true);
  });

  it("property: decode(encode(x)) === x", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), fc.boolean(), fc.boolean(), (bytes, size, sum) => {
        const frame = lz4FrameEncode(bytes, { contentSize: size, contentChecksum: sum });
        expect(sameBytes(lz4FrameDecode(frame), bytes)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
