import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bcolzChunklen, defaultChunklen } from "../../src/layout/chunklen.js";
import { expectColzError, python } from "./helpers.js";

// bcolz 1.2.1's utils.calc_chunksize + the rounding in carray._create_carray, in Python.
const PY = `
import sys, json, math
def chunklen(atomsize, expectedlen):
    mb = expectedlen * atomsize / float(1024 * 1024)
    mb = max(mb, 1e-4); mb = min(mb, 1e4)
    zone = int(math.log10(mb))
    cs = 4096 * int(2 ** (zone + 6))
    cs = (cs // atomsize) * atomsize
    if cs < atomsize: cs = atomsize
    return cs // atomsize
print(json.dumps([chunklen(a, e) for a, e in json.load(sys.stdin)]))
`;

describe("bcolzChunklen", () => {
  it("reference examples", () => {
    expect([1, 1e3, 1e5, 1e6, 1e7].map((n) => bcolzChunklen(8, n))).toEqual([2048, 8192, 32768, 32768, 65536]);
    expect(bcolzChunklen(8, 0)).toBe(2048); // i8_empty
    expect(bcolzChunklen(1, 0)).toBe(16384);
    expect(bcolzChunklen(1 << 20, 10)).toBe(1); // an atom bigger than the chunk: one row per chunk
  });

  it("equals bcolz's Python code on zone boundaries and random inputs", () => {
    const pairs: [number, number][] = [];
    for (const atomsize of [1, 2, 3, 4, 7, 8, 16, 20, 100, 4096, 1 << 20]) {
      for (let p = -6; p <= 12; p++) {
        for (const f of [0.99999, 1, 1.00001, 3.3]) {
          const bytes = 10 ** p * 1048576 * f;
          pairs.push([atomsize, Math.max(0, Math.round(bytes / atomsize))]);
        }
      }
    }
    pairs.push(...fc.sample(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 2 ** 40 })), 2000));
    const expected = JSON.parse(python(PY, JSON.stringify(pairs))) as number[];
    expect(pairs.map(([a, e]) => bcolzChunklen(a, e))).toEqual(expected);
  });

  it("rejects bad arguments", async () => {
    await expectColzError(() => bcolzChunklen(0, 1), "ERR_BAD_ARGUMENT");
    await expectColzError(() => bcolzChunklen(8, -1), "ERR_BAD_ARGUMENT");
    await expectColzError(() => bcolzChunklen(8, Number.NaN), "ERR_BAD_ARGUMENT");
  });
});

describe("defaultChunklen", () => {
  it("never below 256 KB, bcolz's rule above", () => {
    expect(defaultChunklen(8)).toBe(32768);
    expect(defaultChunklen(8, 0)).toBe(32768);
    expect(defaultChunklen(8, 100)).toBe(32768);
    expect(defaultChunklen(1)).toBe(262144);
    expect(defaultChunklen(4, 5e7)).toBe(262144); // 200 MB → 1 MB chunks
    expect(defaultChunklen(8, 1e7)).toBe(65536); // 80 MB → 512 KB
    expect(defaultChunklen(20)).toBe(13107);
    expect(defaultChunklen(1 << 20)).toBe(1);
  });

  it("is never smaller than bcolz's and always ≥ 256 KB or one row", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 16 }), fc.option(fc.integer({ min: 0, max: 2 ** 40 })), (a, e) => {
        const c = defaultChunklen(a, e ?? undefined);
        expect(c).toBeGreaterThanOrEqual(bcolzChunklen(a, e ?? 0));
        expect(c * a >= 256 * 1024 - a || c === 1).toBe(true);
      }),
    );
  });
});
