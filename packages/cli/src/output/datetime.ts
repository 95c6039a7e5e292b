// datetime64 values are int64 counts of a unit (optionally a multiple: "10s") since the Unix
// epoch, NaT being -2^63. They print as ISO 8601 in UTC with exactly the precision of the unit:
// no Date round trip, which would lose everything below a millisecond.

const NAT = -(2n ** 63n);
const DAY_AS = 86_400n * 10n ** 18n;

/** Attoseconds per base unit, and how many fraction digits the unit carries. */
const UNITS: Record<string, { as: bigint; digits: number }> = {
  W: { as: 7n * DAY_AS, digits: -1 },
  D: { as: DAY_AS, digits: -1 },
  h: { as: 3600n * 10n ** 18n, digits: 0 },
  m: { as: 60n * 10n ** 18n, digits: 0 },
  s: { as: 10n ** 18n, digits: 0 },
  ms: { as: 10n ** 15n, digits: 3 },
  us: { as: 10n ** 12n, digits: 6 },
  ns: { as: 10n ** 9n, digits: 9 },
  ps: { as: 10n ** 6n, digits: 12 },
  fs: { as: 10n ** 3n, digits: 15 },
  as: { as: 1n, digits: 18 },
};

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pad(n: number | bigint, width: number): string {
  const s = (n < 0 ? -n : n).toString().padStart(width, "0");
  return n < 0 ? `-${s}` : s;
}

/** ISO 8601 year: 4 digits, or signed with more digits outside 0000..9999. */
function isoYear(y: number): string {
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return `${y < 0 ? "-" : "+"}${pad(Math.abs(y), 6)}`;
}

/** Splits "10ms" into multiple 10n and base "ms"; undefined for an unknown unit. */
function parseUnit(unit: string): { mult: bigint; base: string } | undefined {
  const m = /^(\d*)([A-Za-z]+)$/.exec(unit);
  if (m === null) return undefined;
  return { mult: m[1] === "" ? 1n : BigInt(m[1]!), base: m[2]! };
}

/**
 * A datetime64 count in `unit` as ISO 8601 UTC text with the unit's precision, or null for NaT:
 * "2024-01-02" (D, W), "2024-01" (M), "2024" (Y), "2024-01-02T03:04:05Z" (h, m, s),
 * "2024-01-02T03:04:05.123456789Z" (ns). Years beyond the Date range fall back to the count.
 *
 * @example
 * datetimeToIso(19724n, "D"); // "2024-01-02"
 * datetimeToIso(1704153600123456789n, "ns"); // "2024-01-02T00:00:00.123456789Z"
 */
export function datetimeToIso(count: bigint, unit: string): string | null {
  if (count === NAT) return null;
  const u = parseUnit(unit);
  if (u === undefined) return count.toString();
  const c = count * u.mult;
  if (u.base === "Y") return isoYear(1970 + Number(c));
  if (u.base === "M") {
    const y = floorDiv(c, 12n);
    return `${isoYear(1970 + Number(y))}-${pad(Number(c - y * 12n) + 1, 2)}`;
  }
  const spec = UNITS[u.base];
  if (spec === undefined) return count.toString();
  const total = c * spec.as;
  const days = floorDiv(total, DAY_AS);
  const rest = total - days * DAY_AS; // attoseconds into the day, 0 <= rest < DAY_AS
  // Date covers ±100,000,000 days around 1970 exactly; beyond that print the raw count.
  if (days > 100_000_000n || days < -100_000_000n) return count.toString();
  const d = new Date(Number(days) * 86_400_000);
  const date = `${isoYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  if (spec.digits < 0) return date;
  const secs = rest / 10n ** 18n;
  const hh = secs / 3600n;
  const mm = (secs % 3600n) / 60n;
  const ss = secs % 60n;
  let time = `${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
  if (spec.digits > 0) {
    const frac = (rest % 10n ** 18n) / 10n ** BigInt(18 - spec.digits);
    time += `.${pad(frac, spec.digits)}`;
  }
  return `${date}T${time}Z`;
}
