import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BloscError, type Cname, chunkInfo, compress, decompress, decompressFrom, ready } from "../src/index.js";

beforeAll(async () => {
  await ready();
});

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/**
 * Elements whose high bytes repeat and low bytes are noise: in a split block the noisy byte
 * streams are stored raw and the others compressed, the mix the gathering unshuffle reads in place.
 */
function mixed(typesize: number, n: number, seed: number): Uint8Array {
  const out = new Uint8Array(typesize * n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < typesize; k++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i * typesize + k] = k < typesize / 2 ? x & 0xff : (i >> 12) & 3;
    }
  }
  return out;
}

/** Which streams of the first block are stored raw (csize = the stream's size). */
function rawStreams(chunk: Uint8Array): boolean[] {
  const info = chunkInfo(chunk);
  const v = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const ns = info.split ? info.typesize : 1;
  const neblock = Math.min(info.blocksize, info.nbytes) / ns;
  let p = v.getInt32(16, true);
  const raw: boolean[] = [];
  for (let s = 0; s < ns; s++) {
    const c = v.getInt32(p, true);
    raw.push(c === neblock);
    p += 4 + c;
  }
  return raw;
}

describe("split + shuffle blocks with raw and compressed streams", () => {
  it("decode exactly for typesizes 2, 4, 8 (gathered) and 3, 16 (copied), any size and codec", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 4, 8, 16),
        fc.integer({ min: 1, max: 40000 }),
        fc.constantFrom<Cname>("lz4", "blosclz", "lz4hc"),
        fc.integer(),
        (typesize, n, cname, seed) => {
          const data = mixed(typesize, n, seed);
          const chunk = compress(data, { typesize, cname, clevel: 5, shuffle: "shuffle" });
          const out = new Uint8Array(data.length + 32).fill(0xa5);
          decompress(chunk, out);
          expect(same(out.subarray(0, data.length), data)).toBe(true);
          expect(out.subarray(data.length).every((b) => b === 0xa5)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the test data really mixes raw and compressed streams", () => {
    const chunk = compress(mixed(8, 100000, 7), { typesize: 8, cname: "lz4", clevel: 5, shuffle: "shuffle" });
    const raw = rawStreams(chunk);
    expect(raw.length).toBe(8);
    expect(raw.some((r) => r)).toBe(true);
    expect(raw.some((r) => !r)).toBe(true);
  });
});

describe("decompressFrom", () => {
  const data = mixed(8, 20000, 3);
  let chunk: Uint8Array;
  beforeAll(() => {
    chunk = compress(data, { typesize: 8, cname: "lz4", shuffle: "shuffle" });
  });

  it("decodes the chunk that fill writes into the room, at any offset, into out or a new array", () => {
    for (const at of [0, 16, 33]) {
      const out = new Float64Array(data.length / 8);
      const got = decompressFrom(
        chunk.length + at + 10,
        (room) => {
          room.set(chunk, at);
          return room.subarray(at, at + chunk.length);
        },
        out,
      );
      expect(got?.buffer).toBe(out.buffer);
      expect(same(new Uint8Array(out.buffer), data)).toBe(true);
      const fresh = decompressFrom(chunk.length + at, (room) => {
        room.set(chunk, at);
        return room.subarray(at);
      });
      expect(same(fresh!, data)).toBe(true);
    }
  });

  it("returns undefined when fill has no chunk; stored (memcpyed) chunks work too", () => {
    expect(decompressFrom(100, () => undefined)).toBeUndefined();
    const stored = compress(data.subarray(0, 1000), { typesize: 8, clevel: 0 });
    expect(chunkInfo(stored).memcpyed).toBe(true);
    const got = decompressFrom(stored.length, (room) => {
      room.set(stored);
      return room;
    });
    expect(same(got!, data.subarray(0, 1000))).toBe(true);
  });

  it("refuses views that are not of the room, and fills that use the codec", () => {
    const expectParams = (f: () => unknown) => {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(BloscError);
        expect((e as BloscError).code).toBe("ERR_BAD_PARAMS");
      }
    };
    expectParams(() => decompressFrom(chunk.length, () => chunk));
    expectParams(() =>
      decompressFrom(chunk.length, (room) => {
        room.set(chunk);
        decompress(chunk); // reuses the memory that holds the room
        return room;
      }),
    );
    expectParams(() => decompressFrom(3, () => undefined));
  });

  it("damage in the room is ERR_CORRUPT_CHUNK, as with decompress", () => {
    const bad = chunk.slice();
    bad.fill(0xff, 16, 20); // the first block's start offset
    let viaDecompress: unknown;
    try {
      decompress(bad);
    } catch (e) {
      viaDecompress = e;
    }
    let viaFrom: unknown;
    try {
      decompressFrom(bad.length, (room) => {
        room.set(bad);
        return room;
      });
    } catch (e) {
      viaFrom = e;
    }
    expect(viaDecompress).toBeInstanceOf(BloscError);
    expect((viaFrom as BloscError).code).toBe((viaDecompress as BloscError).code);
  });
});
