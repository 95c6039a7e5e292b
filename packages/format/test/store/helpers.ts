import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { type ColzErrorCode, isColzError } from "../../src/errors.js";

/**
 * A fresh temp directory removed after the test file; `next()` hands out unique paths inside it.
 *
 * @example
 * const tmp = tempArea("zip"); const file = tmp.next(".zip");
 */
export function tempArea(label: string): { dir: string; next(suffix?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), `colz-${label}-`));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, next: (suffix = "") => join(dir, `s${n++}${suffix}`) };
}

const enc = new TextEncoder();

/** Deterministic pseudo-random bytes. */
export function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The fixture every read-only conformance store holds. Keys are valid for every backend. */
export function fixtureEntries(): Map<string, Uint8Array> {
  const all = new Uint8Array(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  return new Map<string, Uint8Array>([
    ["meta/sizes", enc.encode('{"shape": [7777], "nbytes": 7777, "cbytes": 2141}\n')],
    ["meta/storage", enc.encode('{"dtype": "<u4", "cparams": {"clevel": 5}, "chunklen": 2000}\n')],
    ["data/__0.blp", all],
    ["data/__1.blp", bytesOf(100_000, 1)],
    ["empty", new Uint8Array(0)],
    ["ключ/数据/😀.bin", enc.encode("unicode")],
    ["B", enc.encode("B")],
    ["a", enc.encode("a")],
    ["ä", enc.encode("a-umlaut")],
    ["ｚ", enc.encode("fullwidth z")],
    ["z z", enc.encode("space")],
    ["odd/q?x#y%z+&=", enc.encode("url-hostile")],
    ["deep/a/b/c/d/e", enc.encode("deep")],
  ]);
}

export const BAD_KEYS = [
  "",
  "/abs",
  "/etc/passwd",
  "a//b",
  "a/",
  ".",
  "..",
  "../x",
  "a/../../x",
  "a/./b",
  "a\\b",
  "a\0b",
  "\ud800x",
];

/** Expects `p` to reject with a ColzError of `code` whose message contains `text` when given. */
export async function expectCode(p: Promise<unknown>, code: ColzErrorCode, text?: string): Promise<void> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${code}`).toBeDefined();
  if (!isColzError(error, code)) throw new Error(`expected ColzError ${code}, got ${String(error)}`, { cause: error });
  if (text !== undefined) expect((error as Error).message).toContain(text);
}

/**
 * Expects `got` to be a Uint8Array with exactly the bytes of `want` (fast for large values,
 * where toEqual compares element by element).
 */
export function expectBytes(got: Uint8Array | undefined, want: Uint8Array, label = ""): void {
  expect(got, label).toBeInstanceOf(Uint8Array);
  const a = Buffer.from((got as Uint8Array).buffer, (got as Uint8Array).byteOffset, (got as Uint8Array).length);
  const b = Buffer.from(want.buffer, want.byteOffset, want.length);
  if (!a.equals(b)) expect.fail(`${label}: ${a.length} bytes differ from the expected ${b.length} bytes`);
}
