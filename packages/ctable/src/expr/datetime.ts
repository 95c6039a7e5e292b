// ISO-8601 literals for datetime64 columns. NumPy compares datetimes of different units exactly
// (it converts both to the finer unit), so a literal finer than the column's unit is kept as
// "between two ticks": floor(literal) plus an `exact` flag, and the comparison accounts for it.

import { daysFromCivil, daysInMonth } from "../values/civil-date.js";

const ISO =
  /^([+-]?\d{4,6})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,18}))?)?)?)?)?)?(Z)?$/;
const UNIT = /^(\d*)(Y|M|W|D|h|m|s|ms|us|ns|ps|fs|as)$/;

const AS_PER_SECOND = 10n ** 18n;
// Attoseconds per linear unit (Y and M are calendar units, handled separately).
const LINEAR: Record<string, bigint> = {
  W: 7n * 86400n * AS_PER_SECOND,
  D: 86400n * AS_PER_SECOND,
  h: 3600n * AS_PER_SECOND,
  m: 60n * AS_PER_SECOND,
  s: AS_PER_SECOND,
  ms: 10n ** 15n,
  us: 10n ** 12n,
  ns: 10n ** 9n,
  ps: 10n ** 6n,
  fs: 10n ** 3n,
  as: 1n,
};

/** A literal converted to a column's ticks: the value lies in [floor, floor + 1), equal to floor when exact. */
export interface Ticks {
  floor: bigint;
  exact: boolean;
}

function floorDiv(a: bigint, b: bigint): { q: bigint; exact: boolean } {
  let q = a / b;
  const r = a % b;
  if (r !== 0n && r < 0n !== b < 0n) q -= 1n;
  return { q, exact: r === 0n };
}

/**
 * Converts an ISO date or datetime ("2024-01-01", "2024-01-01T09:30:00.5", "2024-03",
 * "2024-01-01 09:30", optional trailing "Z"; always UTC, as NumPy) to ticks of a datetime64
 * unit such as "D", "ns" or "10s". Returns undefined when `text` is not such a literal.
 *
 * @example
 * isoToTicks("2024-01-01", "D"); // { floor: 19723n, exact: true }
 * isoToTicks("2024-01-01T12:00", "D"); // { floor: 19723n, exact: false }
 */
export function isoToTicks(text: string, unit: string): Ticks | undefined {
  const m = ISO.exec(text);
  const u = UNIT.exec(unit);
  if (m === null || u === null) return undefined;
  const mult = BigInt(u[1] === "" ? 1 : Number(u[1]));
  const base = u[2]!;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const fraction = m[7] ?? "";
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const timeOfDayZero = hour === 0 && minute === 0 && second === 0 && /^0*$/.test(fraction);
  let whole: bigint;
  let exact: boolean;
  if (base === "Y" || base === "M") {
    const years = BigInt(year - 1970);
    whole = base === "Y" ? years : years * 12n + BigInt(month - 1);
    exact = timeOfDayZero && day === 1 && (base === "M" || month === 1);
  } else {
    const seconds = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second);
    const attos = seconds * AS_PER_SECOND + (fraction === "" ? 0n : BigInt(fraction.padEnd(18, "0")));
    const r = floorDiv(attos, LINEAR[base]!);
    whole = r.q;
    exact = r.exact;
  }
  const r = floorDiv(whole, mult);
  return { floor: r.q, exact: exact && r.exact };
}
