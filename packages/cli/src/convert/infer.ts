import { parseDtype } from "@colz/format";
import { parseIsoTime, unitForFraction } from "./iso-time.js";
import type { ImportType } from "./schema-option.js";

// Type inference for CSV and JSON lines. The first N rows (--infer-rows, default 10,000) are
// observed; each column gets the narrowest type every non-null sampled value fits, in this order:
//
//   int64     CSV: /^[+-]?\d+$/ within int64. JSON: integers within ±(2^53-1), or strings of
//             integers beyond that (how `colz export` writes big int64 values).
//   float64   CSV: decimal/exponent numbers, integers beyond int64, nan, inf, -inf, infinity (any
//             case). JSON: numbers, plus the strings "NaN", "Infinity", "-Infinity" when the column
//             also holds numbers.
//   bool      CSV: true/false in any case. JSON: true/false.
//   datetime64  ISO 8601 timestamps (YYYY-MM-DD, optional THH:MM[:SS[.f]], optional Z/±HH:MM;
//             no offset = UTC). Unit ms, or us/ns when a sampled value has 4-6/7-9 fraction digits.
//   utf8      everything else (JSON objects and arrays as their JSON text).
//
// A column is nullable when a sampled value is null (empty CSV field, JSON null or missing key);
// an all-null sample gives a nullable utf8 column. Rows after the sample must fit the inferred
// type, or the import fails naming the line (and suggests --schema).

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|nan|inf|infinity)$/i;
const BOOL_RE = /^(?:true|false)$/i;
const JSON_FLOAT_WORDS = new Set(["NaN", "Infinity", "-Infinity"]);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** True when `text` is an integer literal within int64. */
export function isInt64Text(text: string): boolean {
  if (!INT_RE.test(text)) return false;
  const digits = text.length - (text[0] === "+" || text[0] === "-" ? 1 : 0);
  if (digits < 19) return true;
  const v = BigInt(text);
  return v >= INT64_MIN && v <= INT64_MAX;
}

/** True when `text` is a float literal colz reads (CSV rules). */
export function isFloatText(text: string): boolean {
  return FLOAT_RE.test(text);
}

/** The number a float literal means (nan/inf words included). */
export function floatOfText(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, "");
  if (lower === "nan" || lower === "-nan") return Number.NaN;
  if (lower === "inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** True for a JSON string holding an integer too big for a JSON number to keep exactly. */
export function isBigIntString(text: string): boolean {
  if (!isInt64Text(text)) return false;
  const v = BigInt(text);
  return v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER);
}

/** True for the JSON strings that stand for non-finite floats. */
export function isJsonFloatWord(text: string): boolean {
  return JSON_FLOAT_WORDS.has(text);
}

/** Observes the sampled values of one column and decides its type. */
export class TypeGuess {
  private nulls = 0;
  private values = 0;
  /** Values that are numbers (JSON) or big-integer strings: a JSON float/int column needs one. */
  private numeric = 0;
  private int = true;
  private float = true;
  private bool = true;
  private time = true;
  private fraction = 0;

  /** A CSV field: null for an empty field (quoted empty fields count as null here too). */
  observeText(value: string | null): void {
    if (value === null || value === "") {
      this.nulls++;
      return;
    }
    this.values++;
    this.numeric++;
    if (this.int && !isInt64Text(value)) this.int = false;
    if (this.float && !isFloatText(value)) this.float = false;
    if (this.bool && !BOOL_RE.test(value)) this.bool = false;
    if (this.time) this.observeTime(value);
  }

  /** A JSON value (undefined: the key was missing). */
  observeJson(value: unknown): void {
    if (value === null || value === undefined) {
      this.nulls++;
      return;
    }
    this.values++;
    if (typeof value === "number") {
      this.numeric++;
      if (!Number.isSafeInteger(value)) this.int = false;
      this.bool = false;
      this.time = false;
    } else if (typeof value === "boolean") {
      this.int = this.float = this.time = false;
    } else if (typeof value === "string") {
      this.bool = false;
      const big = isBigIntString(value);
      if (big) this.numeric++;
      if (!big) this.int = false;
      if (!big && !isJsonFloatWord(value)) this.float = false;
      if (this.time) this.observeTime(value);
    } else {
      this.int = this.float = this.bool = this.time = false;
    }
  }

  private observeTime(value: string): void {
    const t = parseIsoTime(value);
    if (t === undefined) this.time = false;
    else this.fraction = Math.max(this.fraction, t.fractionDigits);
  }

  /** The inferred type; `forceNullable` when the user asked for nulls. */
  decide(): ImportType {
    const nullable = this.nulls > 0;
    if (this.values === 0) return { kind: "utf8", nullable: true };
    if (this.int && this.numeric > 0) return { kind: "fixed", dtype: parseDtype("int64"), nullable };
    if (this.float && this.numeric > 0) return { kind: "fixed", dtype: parseDtype("float64"), nullable };
    if (this.bool) return { kind: "fixed", dtype: parseDtype("bool"), nullable };
    if (this.time) {
      return { kind: "fixed", dtype: parseDtype(`datetime64[${unitForFraction(this.fraction)}]`), nullable };
    }
    return { kind: "utf8", nullable };
  }

  /** True when the sample held a null (so a --schema type of this column gets a validity carray). */
  get sawNull(): boolean {
    return this.nulls > 0;
  }
}
