import { PyFloat, type PyJsonValue } from "@colz/format";

/** A JSON-safe value (what JSON.stringify can print exactly). */
export type PlainJson = null | boolean | number | string | PlainJson[] | { [key: string]: PlainJson };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Attributes as plain JSON: Python floats become numbers (NaN/±Infinity the strings "NaN",
 * "Infinity", "-Infinity"), integers beyond ±(2^53 − 1) decimal strings, as in row output.
 *
 * @example
 * plainJson({ note: "x", big: 2n ** 60n }); // { note: "x", big: "1152921504606846976" }
 */
export function plainJson(v: PyJsonValue): PlainJson {
  if (v instanceof PyFloat) return finite(v.value);
  if (typeof v === "bigint") return v > MAX_SAFE || v < -MAX_SAFE ? v.toString() : Number(v);
  if (typeof v === "number") return finite(v);
  if (Array.isArray(v)) return v.map(plainJson);
  if (v !== null && typeof v === "object") {
    const out: { [key: string]: PlainJson } = {};
    for (const [k, x] of Object.entries(v)) {
      // defineProperty: a "__proto__" attribute must stay an ordinary key.
      Object.defineProperty(out, k, { value: plainJson(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

function finite(x: number): number | string {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}
