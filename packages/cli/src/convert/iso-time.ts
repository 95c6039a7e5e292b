// ISO 8601 timestamps → datetime64 counts, exactly (to the nanosecond), without Date.parse:
// Date.parse reads a timestamp without an offset as *local* time and drops sub-millisecond
// digits. colz, like NumPy, treats a timestamp without an offset as UTC.

import { daysFromCivil, daysInMonth } from "@colz/ctable";

const ISO =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** A parsed timestamp: nanoseconds since 1970-01-01T00:00Z and the number of fraction digits written. */
export interface IsoTime {
  ns: bigint;
  fractionDigits: number;
}

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DD[T| ]HH:MM[:SS[.fffffffff]][Z|±HH[:MM]]`; undefined when `text`
 * is not such a timestamp (or names an impossible date such as 2023-02-29).
 *
 * @example
 * parseIsoTime("2024-01-02T03:04:05.123456Z"); // { ns: 1704164645123456000n, fractionDigits: 6 }
 */
export function parseIsoTime(text: string): IsoTime | undefined {
  if (text.length < 10 || text.length > 40) return undefined;
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  const tz = m[8];
  if (tz !== undefined && tz !== "Z") {
    const digits = tz.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (tz[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const fraction = m[7] ?? "";
  const seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offsetMinutes * 60;
  const ns = BigInt(seconds) * 1_000_000_000n + (fraction === "" ? 0n : BigInt(fraction.padEnd(9, "0")));
  return { ns, fractionDigits: fraction.length };
}

const UNIT_NS: Record<string, bigint> = {
  W: 604_800_000_000_000n,
  D: 86_400_000_000_000n,
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1000n,
  ns: 1n,
};

/** Nanoseconds per count of a datetime64 unit ("ms", "10s"); undefined for Y, M and sub-ns units. */
export function unitNanoseconds(unit: string): bigint | undefined {
  const m = /^(\d*)([A-Za-z]+)$/.exec(unit);
  if (m === null) return undefined;
  const base = UNIT_NS[m[2]!];
  return base === undefined ? undefined : base * (m[1] === "" ? 1n : BigInt(m[1]!));
}

/** The datetime64 unit that holds `fractionDigits` digits of seconds exactly: ms, us or ns. */
export function unitForFraction(fractionDigits: number): "ms" | "us" | "ns" {
  return fractionDigits <= 3 ? "ms" : fractionDigits <= 6 ? "us" : "ns";
}
