import type { ColumnValues } from "@colz/ctable";
import { decodeUcs4, HOST_LITTLE_ENDIAN } from "@colz/format";
import { datetimeToIso } from "./datetime.js";

/**
 * How the values of one column batch print. `text` feeds csv and table (null = no value),
 * `json` is the JSON text for jsonl. Rules (README "Output formats"):
 * - 64-bit integers beyond ±(2^53 − 1) are JSON strings (exact in every reader); others numbers;
 * - datetime64 is ISO 8601 UTC at the unit's precision, NaT is null; timedelta64 is its count;
 * - NaN / Infinity / -Infinity are the JSON strings "NaN", "Infinity", "-Infinity" (text: same);
 * - binary values and |S bytes that are not valid UTF-8 are lowercase hex; |S text is UTF-8;
 * - rows of N-D columns are JSON arrays (text: the same JSON).
 */
export interface ColumnRenderer {
  text(row: number): string | null;
  json(row: number): string;
  /** Numbers are right-aligned in the table format. */
  readonly numeric: boolean;
}

interface Element {
  text(i: number): string | null;
  json(i: number): string;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * Lowercase hex of `bytes`.
 *
 * @example
 * toHex(new Uint8Array([0, 255])); // "00ff"
 */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** A float as text: shortest round-trip form; float32 values by float32's shortest form. */
function floatText(x: number, single: boolean): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (single && x !== 0) {
    // Widening float32 to double shows digits nobody wrote (1.100000023841858); the shortest
    // decimal that rounds back to the same float32 is what NumPy prints.
    for (let p = 1; p <= 9; p++) {
      const t = Number(x.toPrecision(p));
      if (Math.fround(t) === x) return String(t);
    }
  }
  return String(x);
}

function bigintElement(data: BigInt64Array | BigUint64Array): Element {
  return {
    text: (i) => data[i]!.toString(),
    json: (i) => {
      const v = data[i]!;
      return v > MAX_SAFE || v < -MAX_SAFE ? `"${v}"` : v.toString();
    },
  };
}

/** Text of bytes: UTF-8 when valid, else hex (so nothing is silently replaced). */
function bytesText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return toHex(bytes);
  }
}

function fixedElement(v: Extract<ColumnValues, { kind: "fixed" }>): Element {
  const { dtype, data } = v;
  switch (dtype.kind) {
    case "b":
      return { text: (i) => (data[i] !== 0 ? "true" : "false"), json: (i) => (data[i] !== 0 ? "true" : "false") };
    case "i":
    case "u":
    case "m":
      if (dtype.itemsize === 8) return bigintElement(data as BigInt64Array | BigUint64Array);
      return { text: (i) => String(data[i]), json: (i) => String(data[i]) };
    case "f": {
      const single = dtype.itemsize === 4;
      const text = (i: number) => floatText(data[i] as number, single);
      return { text, json: (i) => (Number.isFinite(data[i] as number) ? text(i) : `"${text(i)}"`) };
    }
    case "M": {
      const unit = dtype.unit ?? "s";
      const text = (i: number) => datetimeToIso(data[i] as bigint, unit);
      return {
        text,
        json: (i) => {
          const s = text(i);
          return s === null ? "null" : JSON.stringify(s);
        },
      };
    }
    case "S": {
      const bytes = data as Uint8Array;
      const w = dtype.itemsize;
      const text = (i: number) => {
        let end = (i + 1) * w;
        while (end > i * w && bytes[end - 1] === 0) end--; // NumPy strips trailing NULs of |S
        return bytesText(bytes.subarray(i * w, end));
      };
      return { text, json: (i) => JSON.stringify(text(i)) };
    }
    case "U": {
      const texts = decodeUcs4(data as Uint8Array, dtype.itemsize, HOST_LITTLE_ENDIAN ? "<" : ">");
      return { text: (i) => texts[i]!, json: (i) => JSON.stringify(texts[i]) };
    }
  }
}

function varlenElement(v: Extract<ColumnValues, { kind: "utf8" | "binary" }>): Element {
  const o = v.offsets;
  const at = (i: number) => v.data.subarray(Number(o[i]), Number(o[i + 1]));
  if (v.kind === "binary") {
    return { text: (i) => toHex(at(i)), json: (i) => `"${toHex(at(i))}"` };
  }
  return { text: (i) => lenient.decode(at(i)), json: (i) => JSON.stringify(lenient.decode(at(i))) };
}

/**
 * The renderer of a batch of one column's values (see ColumnRenderer for the rules).
 *
 * @example
 * const r = columnRenderer(batch.price);
 * r.text(0); // "101.5"
 */
export function columnRenderer(v: ColumnValues): ColumnRenderer {
  const element = v.kind === "fixed" ? fixedElement(v) : varlenElement(v);
  const numeric = v.kind === "fixed" && "iufm".includes(v.dtype.kind);
  const elements =
    v.kind === "fixed"
      ? v.data.length / (v.dtype.kind === "S" || v.dtype.kind === "U" ? v.dtype.itemsize : 1)
      : v.length;
  const width = v.length === 0 ? 1 : elements / v.length;
  const valid = v.validity;
  const isNull = (k: number) => valid !== undefined && valid[k] === 0;
  if (width === 1) {
    return {
      numeric,
      text: (k) => (isNull(k) ? null : element.text(k)),
      json: (k) => (isNull(k) ? "null" : element.json(k)),
    };
  }
  // N-D rows: a JSON array of the row's elements, in C order, flattened.
  const json = (k: number) => {
    if (isNull(k)) return "null";
    const parts: string[] = new Array(width);
    for (let j = 0; j < width; j++) parts[j] = element.json(k * width + j);
    return `[${parts.join(",")}]`;
  };
  return { numeric: false, json, text: (k) => (isNull(k) ? null : json(k)) };
}
