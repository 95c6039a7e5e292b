import { ColzError } from "../errors.js";

/**
 * The longest key, in UTF-8 bytes. A ZIP name length is a 16-bit field, and every backend must
 * accept the same keys so that a container can be copied from one backend to another.
 */
export const MAX_KEY_BYTES = 0xffff;

const encoder = new TextEncoder();

/**
 * Why `key` is not a valid store key, or undefined when it is valid. See `validateKey`.
 *
 * @example
 * keyProblem("a/../b"); // 'segment 2 is ".."'
 */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== "string") return `it is a ${key === null ? "null" : typeof key}, not a string`;
  if (key.length === 0) return "it is empty";
  if (key.startsWith("/")) return "it starts with '/' (keys are relative)";
  if (key.endsWith("/")) return "it ends with '/'";
  if (key.includes("\0")) return "it contains a NUL character";
  if (key.includes("\\")) return "it contains a backslash";
  // Keys are stored as UTF-8 (file names, ZIP names, URLs); an unpaired surrogate cannot round-trip.
  if (!isWellFormed(key)) return "it contains an unpaired UTF-16 surrogate";
  const segments = key.split("/");
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === "") return `it contains an empty segment ('//') at segment ${i + 1}`;
    if (s === "." || s === "..") return `segment ${i + 1} is "${s}"`;
  }
  if (key.length * 3 > MAX_KEY_BYTES && encoder.encode(key).length > MAX_KEY_BYTES) {
    return `it is longer than ${MAX_KEY_BYTES} UTF-8 bytes`;
  }
  return undefined;
}

/**
 * Throws ColzError ERR_BAD_KEY unless `key` is a valid store key: a relative, '/'-separated path
 * whose segments are non-empty, not "." or "..", with no NUL, backslash or unpaired surrogate,
 * at most 65535 UTF-8 bytes long. `where` names the store in the message.
 *
 * @example
 * validateKey("price/meta/sizes"); // ok
 * validateKey("../etc/passwd");    // throws ERR_BAD_KEY: key "../etc/passwd" is invalid: segment 1 is ".."
 */
export function validateKey(key: string, where?: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) {
    const suffix = where === undefined ? "" : ` (store ${where})`;
    throw new ColzError("ERR_BAD_KEY", `key ${JSON.stringify(key)} is invalid: ${problem}${suffix}`);
  }
}

/**
 * Throws ERR_BAD_ARGUMENT unless `prefix` is undefined or a string; returns it ("" when undefined).
 * A prefix is a plain string filter ("price/", "data/__1"), not necessarily a valid key.
 *
 * @example
 * normalizePrefix(undefined); // ""
 */
export function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return "";
  if (typeof prefix !== "string") {
    throw new ColzError("ERR_BAD_ARGUMENT", `list prefix must be a string, got ${typeof prefix}`);
  }
  return prefix;
}

/**
 * Joins key segments with '/', skipping empty parts.
 *
 * @example
 * joinKey("price", "meta/sizes"); // "price/meta/sizes"
 */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

/**
 * The key without its last segment ("" for a top-level key).
 *
 * @example
 * parentKey("price/meta/sizes"); // "price/meta"
 */
export function parentKey(key: string): string {
  const i = key.lastIndexOf("/");
  return i < 0 ? "" : key.slice(0, i);
}

/**
 * The directory part of a list prefix: everything before its last '/' ("" when there is none).
 * Backends that store keys hierarchically start their walk there.
 *
 * @example
 * prefixDirectory("price/meta/si"); // "price/meta"
 */
export function prefixDirectory(prefix: string): string {
  return parentKey(prefix);
}

/**
 * Sorts keys in ascending UTF-16 code-unit order (the order `Store.list` promises), in place.
 *
 * @example
 * sortKeys(["b", "a/x", "B"]); // ["B", "a/x", "b"]
 */
export function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Validates `getRange` arguments: non-negative safe integers. Throws ERR_BAD_ARGUMENT naming the key.
 *
 * @example
 * validateRange("data/__0.blp", 0, 16); // ok
 */
export function validateRange(key: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `getRange(${JSON.stringify(key)}): offset ${offset} is not a non-negative integer`,
    );
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `getRange(${JSON.stringify(key)}): length ${length} is not a non-negative integer`,
    );
  }
}

/**
 * Throws ERR_BAD_ARGUMENT unless `value` is a Uint8Array (Buffers are Uint8Arrays).
 *
 * @example
 * validateValue("meta/sizes", bytes);
 */
export function validateValue(key: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new ColzError("ERR_BAD_ARGUMENT", `set(${JSON.stringify(key)}): value must be a Uint8Array`);
  }
}

/**
 * True when `s` has no unpaired UTF-16 surrogate, i.e. it has a UTF-8 form (String.prototype.isWellFormed
 * of ES2024, which the ES2022 lib this package targets does not declare).
 *
 * @example
 * isWellFormed("a\ud800"); // false
 */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const d = s.charCodeAt(i + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
    i++;
  }
  return true;
}
