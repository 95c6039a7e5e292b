import { usageError } from "./errors.js";

/** A Python-style slice; undefined parts take their defaults. */
export interface SliceArg {
  start?: number;
  stop?: number;
  step?: number;
}

function sliceInt(part: string, what: string, text: string): number | undefined {
  if (part === "") return undefined;
  if (!/^-?\d+$/.test(part) || !Number.isSafeInteger(Number(part))) {
    throw usageError(`bad --slice ${JSON.stringify(text)}: ${what} ${JSON.stringify(part)} is not an integer`);
  }
  return Number(part);
}

/**
 * Parses `--slice START:STOP:STEP` (Python rules: every part optional, negatives count from the
 * end, STEP not 0; a lone `N` means N:). Malformed input is a usage error (exit 2).
 *
 * @example
 * parseSlice("10:-10:2"); // { start: 10, stop: -10, step: 2 }
 * parseSlice("::-1");     // { step: -1 }
 */
export function parseSlice(text: string): SliceArg {
  const parts = text.split(":");
  if (parts.length > 3) throw usageError(`bad --slice ${JSON.stringify(text)}: expected START:STOP:STEP`);
  const [a = "", b = "", c = ""] = parts;
  const step = sliceInt(c.trim(), "STEP", text);
  if (step === 0) throw usageError(`bad --slice ${JSON.stringify(text)}: STEP must not be 0`);
  return { start: sliceInt(a.trim(), "START", text), stop: sliceInt(b.trim(), "STOP", text), step };
}

/**
 * Parses a non-negative row count (`-n`); anything else is a usage error naming `option`.
 *
 * @example
 * parseCount("20", "-n"); // 20
 */
export function parseCount(text: string, option: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw usageError(`bad ${option} ${JSON.stringify(text)}: expected a non-negative integer`);
  }
  return n;
}

/**
 * Splits `--columns a,b` into names (empty names are a usage error). Names that contain commas
 * cannot be given this way; the table format is meant for people, export names in full.
 *
 * @example
 * parseColumns("id, price"); // ["id", "price"]
 */
export function parseColumns(text: string): string[] {
  const names = text.split(",").map((s) => s.trim());
  if (names.some((n) => n === "")) throw usageError(`bad --columns ${JSON.stringify(text)}: empty column name`);
  return names;
}

/**
 * Checks that every name is a column of the table: an unknown one is a usage error naming it.
 *
 * @example
 * checkColumns(["id", "nope"], ["id", "price"]); // throws: unknown column "nope"
 */
export function checkColumns(names: readonly string[], available: readonly string[]): void {
  const known = new Set(available);
  for (const n of names) {
    if (!known.has(n)) {
      throw usageError(
        `unknown column ${JSON.stringify(n)} (columns: ${available.map((a) => JSON.stringify(a)).join(", ")})`,
      );
    }
  }
}
