import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BloscError, int64Range, ready } from "../src/index.js";

beforeAll(async () => {
  await ready();
});

/** The model: a plain BigInt scan. */
function model(values: readonly bigint[]): { min: bigint; max: bigint } | undefined {
  if (values.length === 0) return undefined;
  let min = values[0] as bigint;
  let max = min;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** `values` as little-endian bytes starting `shift` bytes into a larger buffer (any alignment). */
function bytesOf(values: readonly bigint[], signed: boolean, shift: number): Uint8Array {
  const buf = new Uint8Array(shift + values.length * 8 + 3).fill(0x5a);
  const view = new DataView(buf.buffer, shift);
  for (const [i, v] of values.entries()) {
    if (signed) view.setBigInt64(i * 8, v, true);
    else view.setBigUint64(i * 8, v, true);
  }
  return buf.subarray(shift, shift + values.length * 8);
}

const extremes = [-(2n ** 63n), 2n ** 63n - 1n, -1n, 0n, 1n, 2n ** 32n, -(2n ** 32n), 2n ** 31n];

describe("int64Range", () => {
  it("equals the model for signed and unsigned values of any length and alignment", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(...extremes)), {
          maxLength: 70,
        }),
        fc.nat(7),
        (signed, raw, shift) => {
          const values = signed ? raw : raw.map((v) => BigInt.asUintN(64, v));
          expect(int64Range(bytesOf(values, signed, shift), signed)).toEqual(model(values));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("orders uint64 above 2^63 after smaller ones (not as negative numbers)", () => {
    const values = [1n, 2n ** 63n, 2n ** 64n - 1n, 5n];
    expect(int64Range(bytesOf(values, false, 0), false)).toEqual({ min: 1n, max: 2n ** 64n - 1n });
    expect(
      int64Range(
        bytesOf(
          values.map((v) => BigInt.asIntN(64, v)),
          true,
          0,
        ),
        true,
      ),
    ).toEqual({
      min: -(2n ** 63n),
      max: 5n,
    });
  });

  it("refuses a byte length that is not whole values", () => {
    expect(() => int64Range(new Uint8Array(12), true)).toThrow(BloscError);
  });
});
