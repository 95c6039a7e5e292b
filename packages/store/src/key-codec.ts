import { ColzError, isWellFormed } from "@colz/format";
import { sha256 } from "./sha256.js";

// User keys → file-name "stems", reversibly and safely on every file system.
//
// A stem uses only [a-z0-9_~-]: no "/", "\", ".", NUL or control characters, so it is one path
// segment that cannot climb out of its directory; no uppercase, so two keys never map to names
// that a case-insensitive file system (macOS, Windows) would merge; it starts with "k" or "h", so
// it is never a Windows device name (CON, NUL, COM1, ...), never starts with "-" or ".", and never
// ends with a dot or a space. "." is free to separate the stem from a suffix (".zip", ".ptr").
//
// Escapes (applied to the key's UTF-8 bytes):
//   a-z 0-9 -   themselves
//   A-Z         "_" + the lowercase letter        "AAPL"  → "_a_a_p_l"
//   _           "__"                              "a_b"   → "a__b"
//   other byte  "~" + two lowercase hex digits    "a/b"   → "a~2fb", "é" → "~c3~a9"
// The escaped key is the stem "k<escaped>" when that is at most MAX_DIRECT_STEM characters.
// Longer keys get the stem "h<first ≤150 escaped characters>-<26 base32 characters of SHA-256>"
// and the key store keeps the full key in a small sidecar (".key") beside the value.

/** The longest key, in UTF-8 bytes. Longer keys, and empty ones, are ERR_BAD_KEY. */
export const MAX_KEY_BYTES = 4096;
/** The longest direct stem ("k" + escaped key); longer keys are named by their hash. */
export const MAX_DIRECT_STEM = 200;
/** How many escaped characters of a long key its hashed stem keeps, for people reading `ls`. */
const HASHED_READABLE_CHARS = 150;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const HEX = "0123456789abcdef";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A key with its on-disk names. */
export interface EncodedKey {
  /** The user's key. */
  readonly key: string;
  /** The file-name stem: "k…" (reversible from the name) or "h…" (long key, see `.key` sidecar). */
  readonly stem: string;
  /** True for "h…" stems. */
  readonly hashed: boolean;
  /** The fan-out directory: the first `fanout` hex digits of SHA-256(key). */
  readonly bucket: string;
}

/**
 * Why `key` cannot be a key-store key, or undefined when it can. Keys are any non-empty string of
 * well-formed UTF-16 (no unpaired surrogates: they have no UTF-8 form) of at most 4096 UTF-8 bytes.
 *
 * @example
 * keyProblem("../etc/passwd"); // undefined: any characters are fine, they are escaped
 * keyProblem("");              // "it is empty"
 */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== "string") return `it is a ${key === null ? "null" : typeof key}, not a string`;
  if (key.length === 0) return "it is empty";
  if (key.length > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} UTF-8 bytes`;
  if (!isWellFormed(key)) return "it contains an unpaired UTF-16 surrogate (no UTF-8 form)";
  if (key.length * 3 > MAX_KEY_BYTES && encoder.encode(key).length > MAX_KEY_BYTES) {
    return `it is longer than ${MAX_KEY_BYTES} UTF-8 bytes`;
  }
  return undefined;
}

/**
 * Throws ERR_BAD_KEY unless `key` is a valid key-store key (see `keyProblem`).
 *
 * @example
 * checkKey("AAPL");  // ok
 * checkKey("");      // throws ColzError ERR_BAD_KEY
 */
export function checkKey(key: unknown, where?: string): asserts key is string {
  const problem = keyProblem(key);
  if (problem === undefined) return;
  const shown = typeof key === "string" ? JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key) : String(key);
  const suffix = where === undefined ? "" : ` (key store ${where})`;
  throw new ColzError("ERR_BAD_KEY", `key ${shown} is invalid: ${problem}${suffix}`);
}

/**
 * The on-disk names of `key` (validated first: ERR_BAD_KEY).
 *
 * @example
 * encodeKey("AAPL", 2);        // { key: "AAPL", stem: "k_a_a_p_l", hashed: false, bucket: "5c" } (bucket illustrative)
 * encodeKey("x".repeat(500), 2).stem; // "hxxx…x-<26 base32 chars>"
 */
export function encodeKey(key: string, fanout: number): EncodedKey {
  checkKey(key);
  const bytes = encoder.encode(key);
  const digest = sha256(bytes);
  const bucket = hex(digest).slice(0, fanout);
  const escaped = escapeBytes(bytes, MAX_DIRECT_STEM - 1);
  if (escaped !== undefined) return { key, stem: `k${escaped}`, hashed: false, bucket };
  const readable = escapeBytes(bytes, HASHED_READABLE_CHARS, true) as string;
  return { key, stem: `h${readable}-${base32(digest.subarray(0, 16))}`, hashed: true, bucket };
}

/**
 * The key a direct stem ("k…") names, or undefined when `stem` is not the canonical encoding of a
 * valid key (hashed stems, foreign files, "k~41" instead of "k_a", ...). Canonical-only decoding
 * means no two names decode to the same key.
 *
 * @example
 * decodeStem("k_a_a_p_l");    // "AAPL"
 * decodeStem("ka~2f~2e~2e");  // "a/.."
 * decodeStem("README");       // undefined
 */
export function decodeStem(stem: string): string | undefined {
  if (stem.length < 2 || stem.length > MAX_DIRECT_STEM || stem.charCodeAt(0) !== 0x6b /* k */) return undefined;
  const bytes = new Uint8Array(stem.length);
  let n = 0;
  for (let i = 1; i < stem.length; i++) {
    const c = stem.charCodeAt(i);
    if (isLiteral(c)) {
      bytes[n++] = c;
    } else if (c === 0x5f /* _ */) {
      const d = stem.charCodeAt(++i);
      if (d === 0x5f) bytes[n++] = 0x5f;
      else if (d >= 0x61 && d <= 0x7a) bytes[n++] = d - 0x20;
      else return undefined;
    } else if (c === 0x7e /* ~ */) {
      const b = (hexValue(stem.charCodeAt(i + 1)) << 4) | hexValue(stem.charCodeAt(i + 2));
      i += 2;
      // -1 marks a bad digit; a byte with a shorter escape is not canonical.
      if (b < 0 || isLiteral(b) || b === 0x5f || (b >= 0x41 && b <= 0x5a)) return undefined;
      bytes[n++] = b;
    } else {
      return undefined;
    }
  }
  let key: string;
  try {
    key = decoder.decode(bytes.subarray(0, n));
  } catch {
    return undefined; // not UTF-8
  }
  // Every token was checked to be the only escape of its byte, so re-encoding gives `stem` back.
  return keyProblem(key) === undefined ? key : undefined;
}

/** True for characters a stem holds as themselves: a-z, 0-9, "-". */
function isLiteral(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

/**
 * Escapes `bytes`; undefined when the result would pass `limit` characters, or with `truncate`
 * the longest prefix that fits (never splitting an escape).
 */
function escapeBytes(bytes: Uint8Array, limit: number, truncate = false): string | undefined {
  let out = "";
  for (const b of bytes) {
    let token: string;
    if (isLiteral(b)) token = String.fromCharCode(b);
    else if (b >= 0x41 && b <= 0x5a) token = `_${String.fromCharCode(b + 0x20)}`;
    else if (b === 0x5f) token = "__";
    else token = `~${HEX[b >> 4]}${HEX[b & 15]}`;
    if (out.length + token.length > limit) return truncate ? out : undefined;
    out += token;
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1024; // makes the combined byte negative
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += `${HEX[b >> 4]}${HEX[b & 15]}`;
  return out;
}

/** RFC 4648 base32, lowercase, no padding. */
function base32(bytes: Uint8Array): string {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}
