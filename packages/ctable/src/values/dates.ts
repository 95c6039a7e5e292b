import { badArgument } from "../errors.js";

// datetime64 values are int64 counts of a unit (optionally a multiple, "10s") since
// 1970-01-01T00:00 UTC; NaT is -2^63. JavaScript Dates carry milliseconds, so converting to a
// finer unit multiplies and to a coarser one rounds toward -infinity, as NumPy's astype does.

/** NumPy's NaT: the smallest int64. */
export const NAT = -(2n ** 63n);

const MS_PER: Record<string, bigint> = {
  W: 7n * 86_400_000n,
  D: 86_400_000n,
  h: 3_600_000n,
  m: 60_000n,
  s: 1000n,
  ms: 1n,
};
const PER_MS: Record<string, bigint> = { us: 1000n, ns: 1_000_000n, ps: 10n ** 9n, fs: 10n ** 12n, as: 10n ** 15n };

function parseUnit(unit: string): { mult: bigint; base: string } {
  const m = /^(\d*)([A-Za-z]+)$/.exec(unit);
  if (m === null) throw badArgument(`unknown datetime unit ${JSON.stringify(unit)}`);
  return { mult: m[1] === "" ? 1n : BigInt(m[1]!), base: m[2]! };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * The datetime64 count of a millisecond timestamp in `unit` ("D", "ns", "10s", "M", ...); NaN → NaT.
 *
 * @example
 * msToCount(Date.UTC(2020, 0, 2), "D"); // 18263n
 */
export function msToCount(ms: number, unit: string): bigint {
  if (!Number.isFinite(ms)) return NAT;
  const { mult, base } = parseUnit(unit);
  const t = BigInt(Math.trunc(ms));
  let count: bigint;
  if (base === "Y" || base === "M") {
    const d = new Date(ms);
    const years = BigInt(d.getUTCFullYear() - 1970);
    count = base === "Y" ? years : years * 12n + BigInt(d.getUTCMonth());
  } else if (MS_PER[base] !== undefined) {
    count = floorDiv(t, MS_PER[base]!);
  } else if (PER_MS[base] !== undefined) {
    count = t * PER_MS[base]!;
  } else {
    throw badArgument(`unknown datetime unit ${JSON.stringify(unit)}`);
  }
  return floorDiv(count, mult);
}

/**
 * The JavaScript Date of a datetime64 count in `unit` (an invalid Date for NaT). Finer units than
 * milliseconds are rounded toward -infinity.
 *
 * @example
 * countToDate(18263n, "D").toISOString(); // "2020-01-02T00:00:00.000Z"
 */
export function countToDate(count: bigint, unit: string): Date {
  if (count === NAT) return new Date(Number.NaN);
  const { mult, base } = parseUnit(unit);
  const c = count * mult;
  if (base === "Y") return new Date(Date.UTC(1970 + Number(c), 0, 1));
  if (base === "M") {
    const y = floorDiv(c, 12n);
    return new Date(Date.UTC(1970 + Number(y), Number(c - y * 12n), 1));
  }
  if (MS_PER[base] !== undefined) return new Date(Number(c * MS_PER[base]!));
  if (PER_MS[base] !== undefined) return new Date(Number(floorDiv(c, PER_MS[base]!)));
  throw badArgument(`unknown datetime unit ${JSON.stringify(unit)}`);
}
