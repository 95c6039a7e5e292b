import { exprError } from "./errors.js";

// Tokenizer of the where() language (the grammar itself is documented in parser.ts).

export type TokenType = "number" | "string" | "name" | "quoted" | "op" | "end";

export interface Token {
  type: TokenType;
  /** Operator text, name, decoded string, or raw number text. */
  text: string;
  /** Numbers: exact integer value when the literal is an integer. */
  int?: bigint;
  /** Numbers: nearest double. */
  value?: number;
  pos: number;
  end: number;
}

// Longest first, so "<=" wins over "<".
const OPERATORS = ["<=", ">=", "==", "!=", "<", ">", "&", "|", "~", "+", "-", "*", "/", "%", "(", ")", "[", "]", ","];

// Tokens people carry over from other languages; each gets a pointed hint instead of a bare error.
const MISTAKES: readonly [string, string][] = [
  ["&&", 'use "&" or "and"'],
  ["||", 'use "|" or "or"'],
  ["**", "powers are not supported"],
  ["//", 'floor division is not supported; use "/" or "%"'],
  ["=", 'use "==" to compare'],
  ["!", 'use "~" or "not" to negate, "!=" to compare'],
];

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}]/u;
const DIGIT = /[0-9]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ESCAPES: Record<string, string> = {
  "\\": "\\",
  '"': '"',
  "'": "'",
  "`": "`",
  n: "\n",
  r: "\r",
  t: "\t",
  "0": "\0",
  b: "\b",
  f: "\f",
  v: "\v",
};

/**
 * Splits `text` into tokens; throws ERR_BAD_EXPRESSION at the first character that starts no
 * token. Always ends with an "end" token.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (DIGIT.test(c) || (c === "." && DIGIT.test(text[i + 1] ?? ""))) {
      const tok = lexNumber(text, i);
      tokens.push(tok);
      i = tok.end;
      continue;
    }
    if (c === '"' || c === "'") {
      const tok = lexString(text, i);
      tokens.push(tok);
      i = tok.end;
      continue;
    }
    if (c === "`") {
      const tok = lexQuotedName(text, i);
      tokens.push(tok);
      i = tok.end;
      continue;
    }
    const cp = String.fromCodePoint(text.codePointAt(i)!);
    if (ID_START.test(cp)) {
      i += cp.length;
      while (i < text.length) {
        const next = String.fromCodePoint(text.codePointAt(i)!);
        if (!ID_CONTINUE.test(next)) break;
        i += next.length;
      }
      tokens.push({ type: "name", text: text.slice(start, i), pos: start, end: i });
      continue;
    }
    const mistake = MISTAKES.find(([m]) => text.startsWith(m, i));
    if (mistake !== undefined && !OPERATORS.some((op) => op.length > mistake[0].length && text.startsWith(op, i))) {
      throw exprError(text, i, `unexpected ${JSON.stringify(mistake[0])}`, mistake[1]);
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) throw exprError(text, i, `unexpected character ${JSON.stringify(cp)}`);
    tokens.push({ type: "op", text: op, pos: start, end: i + op.length });
    i += op.length;
  }
  tokens.push({ type: "end", text: "", pos: text.length, end: text.length });
  return tokens;
}

const HEX = /^0[xX]([0-9a-fA-F](?:_?[0-9a-fA-F])*)/;
const OCT = /^0[oO]([0-7](?:_?[0-7])*)/;
const BIN = /^0[bB]([01](?:_?[01])*)/;
const DECIMAL =
  /^(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?/;

function lexNumber(text: string, pos: number): Token {
  const rest = text.slice(pos, pos + 70_000);
  let raw: string;
  let int: bigint | undefined;
  let value: number;
  const radix = HEX.exec(rest) ?? OCT.exec(rest) ?? BIN.exec(rest);
  if (radix !== null) {
    raw = radix[0];
    int = BigInt(`${raw.slice(0, 2).toLowerCase()}${radix[1]!.replaceAll("_", "")}`);
    value = Number(int);
  } else {
    raw = DECIMAL.exec(rest)![0];
    const clean = raw.replaceAll("_", "");
    if (/^[0-9]+$/.test(clean)) {
      int = BigInt(clean);
      value = Number(int);
    } else {
      value = Number(clean);
    }
  }
  const end = pos + raw.length;
  const after = text.codePointAt(end);
  if (after !== undefined && (ID_CONTINUE.test(String.fromCodePoint(after)) || text[end] === ".")) {
    throw exprError(text, pos, `invalid number ${JSON.stringify(text.slice(pos, end + 1))}`);
  }
  return { type: "number", text: raw, pos, end, value, ...(int === undefined ? {} : { int }) };
}

function lexString(text: string, pos: number): Token {
  const quote = text[pos]!;
  let out = "";
  let i = pos + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] !== "\\") {
      const next = text.indexOf(quote, i);
      const slash = text.indexOf("\\", i);
      const stop = Math.min(next < 0 ? text.length : next, slash < 0 ? text.length : slash);
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) break;
    const simple = Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : undefined;
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    const m = /^x([0-9a-fA-F]{2})|^u([0-9a-fA-F]{4})|^u\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(i + 1, i + 11));
    if (m === null) throw exprError(text, i, `invalid escape ${JSON.stringify(text.slice(i, i + 2))}`);
    const cp = Number.parseInt(m[1] ?? m[2] ?? m[3]!, 16);
    if (cp > 0x10ffff) throw exprError(text, i, `escape ${JSON.stringify(m[0])} is beyond U+10FFFF`);
    out += String.fromCodePoint(cp);
    i += 1 + m[0].length;
  }
  if (i >= text.length) throw exprError(text, pos, "unterminated string", `add the closing ${quote}`);
  // A lone surrogate cannot be encoded as UTF-8, so it could never equal a stored string.
  if (LONE_SURROGATE.test(out)) throw exprError(text, pos, "string contains a lone UTF-16 surrogate");
  return { type: "string", text: out, pos, end: i + 1 };
}

function lexQuotedName(text: string, pos: number): Token {
  let out = "";
  let i = pos + 1;
  for (;;) {
    const close = text.indexOf("`", i);
    if (close < 0) throw exprError(text, pos, "unterminated `quoted name`", "add the closing backtick");
    out += text.slice(i, close);
    // A doubled backtick stands for one backtick inside the name, as in SQL dialects.
    if (text[close + 1] === "`") {
      out += "`";
      i = close + 2;
      continue;
    }
    i = close + 1;
    break;
  }
  if (out === "") throw exprError(text, pos, "empty `quoted name`");
  return { type: "quoted", text: out, pos, end: i };
}
