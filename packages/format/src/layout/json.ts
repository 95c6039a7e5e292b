import { ColzError } from "../errors.js";

// bcolz's metadata is written by Python's `json.dumps(obj, ensure_ascii=True)`: non-standard
// NaN/Infinity tokens, arbitrary-precision integers, Python float repr, ", " and ": " separators.
// This module reads and writes exactly that dialect so colz's files are byte-identical to bcolz's.

/**
 * Marks a number that must be written as a Python float ("1.0", not "1"). JS numbers do not
 * remember whether they were written with a decimal point; bcolz writes float `dflt`s as floats.
 *
 * @example
 * dumpPyJson([1, new PyFloat(1)]); // "[1, 1.0]"
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A JSON value in Python's dialect: integers beyond 2^53 are bigints. */
export type PyJsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | PyJsonValue[]
  | { [key: string]: PyJsonValue };

export interface ParsePyJsonOptions {
  /** Return float tokens ("1.0", "1e-05", "NaN") as PyFloat instead of number (default false). */
  floatsAsPyFloat?: boolean;
}

/** Nesting deeper than this is refused instead of risking a stack overflow. */
const MAX_DEPTH = 512;

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses Python-dialect JSON (accepts NaN, Infinity and -Infinity outside strings; integers
 * beyond ±2^53 become bigints). `key` names the file in errors: malformed input throws
 * ERR_CORRUPT_META with the key and the character position.
 *
 * @example
 * parsePyJson('{"dflt": NaN, "n": 9007199254740993}', "meta/storage"); // { dflt: NaN, n: 9007199254740993n }
 */
export function parsePyJson(input: string | Uint8Array, key: string, options: ParsePyJsonOptions = {}): PyJsonValue {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = decoder.decode(input);
    } catch (e) {
      throw new ColzError("ERR_CORRUPT_META", `${key}: not valid UTF-8 text`, { cause: e });
    }
  }
  const keepFloats = options.floatsAsPyFloat === true;
  // Most metadata is plain JSON, which the engine's parser reads many times faster (sidecars are
  // parsed per chunk). It gives the same values unless the text has an integer past 2^53 (an
  // integer token of 16+ digits goes to our parser, which makes it a bigint; fraction and
  // exponent digits do not matter) or Python's NaN/Infinity (JSON.parse throws: our parser reads
  // them, or reports the error with its position).
  if (!keepFloats && !LONG_DIGIT_RUN.test(text)) {
    try {
      return JSON.parse(text) as PyJsonValue;
    } catch {
      // not plain JSON: the dialect parser below decides
    }
  }
  return parsePyJsonText(text, key, keepFloats);
}

/** 16+ digits not part of a fraction or exponent: an integer token that may be past 2^53. */
const LONG_DIGIT_RUN = /(?<![\d.])\d{16,}(?![\d.eE])/;

/**
 * The dialect parser proper, without the JSON.parse shortcut (tests compare the two).
 *
 * @example
 * parsePyJsonText('{"a": NaN}', "meta/storage", false); // { a: NaN }
 */
export function parsePyJsonText(text: string, key: string, keepFloats: boolean): PyJsonValue {
  return new Parser(text, key, keepFloats).parseDocument();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly s: string,
    private readonly key: string,
    private readonly keepFloats: boolean,
  ) {}

  parseDocument(): PyJsonValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.pos < this.s.length) this.fail("extra data after the JSON value");
    return v;
  }

  private fail(what: string): never {
    const near = JSON.stringify(this.s.slice(this.pos, this.pos + 16));
    throw new ColzError(
      "ERR_CORRUPT_META",
      `${this.key}: malformed JSON at position ${this.pos}: ${what} (near ${near})`,
    );
  }

  private ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  private word(w: string): boolean {
    if (this.s.startsWith(w, this.pos)) {
      this.pos += w.length;
      return true;
    }
    return false;
  }

  private value(depth: number): PyJsonValue {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = this.s[this.pos];
    switch (c) {
      case "{":
        return this.object(depth);
      case "[":
        return this.array(depth);
      case '"':
        return this.string();
      case "t":
        if (this.word("true")) return true;
        break;
      case "f":
        if (this.word("false")) return false;
        break;
      case "n":
        if (this.word("null")) return null;
        break;
      case "N":
        if (this.word("NaN")) return this.float(Number.NaN);
        break;
      case "I":
        if (this.word("Infinity")) return this.float(Number.POSITIVE_INFINITY);
        break;
      case "-":
        if (this.word("-Infinity")) return this.float(Number.NEGATIVE_INFINITY);
        return this.number();
      default:
        if (c !== undefined && c >= "0" && c <= "9") return this.number();
    }
    return this.fail(c === undefined ? "unexpected end of input" : "expected a value");
  }

  private float(v: number): number | PyFloat {
    return this.keepFloats ? new PyFloat(v) : v;
  }

  private number(): PyJsonValue {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
    m.lastIndex = this.pos;
    const r = m.exec(this.s);
    if (r === null) return this.fail("malformed number");
    this.pos += r[0].length;
    if (r[1] === undefined && r[2] === undefined) {
      const n = Number(r[0]);
      return Number.isSafeInteger(n) ? n : BigInt(r[0]);
    }
    return this.float(Number(r[0]));
  }

  private string(): string {
    const s = this.s;
    this.pos++; // opening quote
    let out = "";
    let start = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail("control character in string");
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += s.slice(start, this.pos);
      const e = s[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"':
        case "\\":
        case "/":
          out += e;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hex = s.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          this.pos -= 2;
          this.fail("bad escape");
      }
      start = this.pos;
    }
  }

  private array(depth: number): PyJsonValue[] {
    this.pos++;
    const out: PyJsonValue[] = [];
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") return out;
      if (c !== ",") {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  private object(depth: number): { [key: string]: PyJsonValue } {
    this.pos++;
    const out: { [key: string]: PyJsonValue } = {};
    this.ws();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail("expected a string key");
      const k = this.string();
      this.ws();
      if (this.s[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      this.ws();
      const v = this.value(depth + 1);
      // defineProperty: a "__proto__" key must become data, not change the prototype. Python keeps the last duplicate.
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") return out;
      if (c !== ",") {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
    }
  }
}

/**
 * Python's `repr(float)`: shortest round-trip digits, fixed notation when the decimal exponent
 * is in [-4, 16), otherwise "1e-05" / "1.5e+20"; integral values keep ".0"; NaN/Infinity tokens.
 *
 * @example
 * pyFloatRepr(1); // "1.0"
 * pyFloatRepr(0.00001); // "1e-05"
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "Infinity";
  if (x === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() without digits gives the shortest round-trip digits, like Python's repr.
  const [mant, expText] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const decpt = Number(expText) + 1; // value = 0.DIGITS × 10^decpt
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const e = decpt - 1;
  const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Python's json string encoder with ensure_ascii: everything outside ' '..'~' is escaped. */
function pyString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i);
    start = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      default:
        out += `\\u${c.toString(16).padStart(4, "0")}`;
    }
  }
  return `${out}${s.slice(start)}"`;
}

function dumpValue(v: unknown, depth: number, path: string): string {
  if (depth > MAX_DEPTH) throw badValue(path, `nesting deeper than ${MAX_DEPTH} (a cycle?)`);
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "string":
      return pyString(v);
    case "number":
      // Integral JS numbers are written as Python ints (no exponent), except -0, which only a float has.
      if (Number.isInteger(v) && !Object.is(v, -0)) return BigInt(v).toString();
      return pyFloatRepr(v);
    case "object": {
      if (v instanceof PyFloat) return pyFloatRepr(v.value);
      if (Array.isArray(v)) {
        return `[${v.map((x, i) => dumpValue(x, depth + 1, `${path}[${i}]`)).join(", ")}]`;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw badValue(path, `a ${proto?.constructor?.name ?? "non-plain"} object is not JSON`);
      }
      const parts = Object.entries(v as object).map(
        ([k, x]) => `${pyString(k)}: ${dumpValue(x, depth + 1, `${path}.${k}`)}`,
      );
      return `{${parts.join(", ")}}`;
    }
    default:
      throw badValue(path, `a ${typeof v} is not JSON`);
  }
}

function badValue(path: string, why: string): ColzError {
  return new ColzError("ERR_BAD_ARGUMENT", `cannot write ${path === "" ? "value" : path} as JSON: ${why}`);
}

/**
 * Serialises like Python's `json.dumps(obj, ensure_ascii=True)` (no trailing newline): ", " and
 * ": " separators, insertion key order, \uXXXX escapes for non-ASCII, Python float repr, NaN and
 * Infinity tokens, bigints as integers. Values JSON cannot hold throw ERR_BAD_ARGUMENT.
 *
 * @example
 * dumpPyJson({ shape: [3], x: 0.5, s: "é" }); // '{"shape": [3], "x": 0.5, "s": "\\u00e9"}'
 */
export function dumpPyJson(value: unknown): string {
  return dumpValue(value, 0, "");
}

/**
 * The bytes of a bcolz JSON file: `dumpPyJson(value) + "\n"`, ASCII.
 *
 * @example
 * encodePyJsonFile({}); // Uint8Array [123, 125, 10]  ("{}\n")
 */
export function encodePyJsonFile(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${dumpPyJson(value)}\n`);
}
