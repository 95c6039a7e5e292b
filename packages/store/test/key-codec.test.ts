import { createHash } from "node:crypto";
import { isColzError } from "@colz/format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeStem, encodeKey, keyProblem, MAX_DIRECT_STEM, MAX_KEY_BYTES } from "../src/key-codec.js";
import { parseEntryName } from "../src/layout-names.js";
import { sha256 } from "../src/sha256.js";

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Every property a stem must have to be safe on Linux, macOS and Windows file systems. */
function expectSafeStem(stem: string): void {
  expect(stem).toMatch(/^[kh][a-z0-9_~-]+$/);
  expect(stem.length).toBeLessThanOrEqual(MAX_DIRECT_STEM);
  expect(WINDOWS_RESERVED.test(stem)).toBe(false);
  expect(parseEntryName(`${stem}.zip`)).toEqual({ stem, kind: "zip" });
}

describe("sha256", () => {
  it("matches node:crypto", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const want = createHash("sha256").update(bytes).digest("hex");
        expect(Buffer.from(sha256(bytes)).toString("hex")).toBe(want);
      }),
    );
  });
});

describe("key encoding", () => {
  it("encodes the documented examples", () => {
    expect(encodeKey("AAPL", 2).stem).toBe("k_a_a_p_l");
    expect(encodeKey("a_b", 2).stem).toBe("ka__b");
    expect(encodeKey("a/b", 2).stem).toBe("ka~2fb");
    expect(encodeKey("é", 2).stem).toBe("k~c3~a9");
    expect(encodeKey("2024-01-02", 2).stem).toBe("k2024-01-02");
    expect(encodeKey("x", 2).bucket).toBe(createHash("sha256").update("x").digest("hex").slice(0, 2));
  });

  it("round-trips any valid key and yields safe names", () => {
    const keys = fc.oneof(
      fc.string({ minLength: 1, maxLength: 60, unit: "grapheme" }),
      fc.string({ minLength: 1, maxLength: 300, unit: "binary" }),
      fc.string({ minLength: 1, maxLength: 80 }),
    );
    fc.assert(
      fc.property(keys, (key) => {
        const enc = encodeKey(key, 2);
        expectSafeStem(enc.stem);
        expect(enc.bucket).toMatch(/^[0-9a-f]{2}$/);
        if (enc.hashed) expect(decodeStem(enc.stem)).toBeUndefined();
        else expect(decodeStem(enc.stem)).toBe(key);
      }),
      { numRuns: 500 },
    );
  });

  it("never maps two keys to names a case-insensitive file system would merge", () => {
    const a = encodeKey("Ab", 2).stem;
    const b = encodeKey("aB", 2).stem;
    expect(a.toLowerCase()).not.toBe(b.toLowerCase());
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (x, y) => {
        fc.pre(x !== y);
        expect(encodeKey(x, 2).stem.toLowerCase()).not.toBe(encodeKey(y, 2).stem.toLowerCase());
      }),
    );
  });

  it("handles hostile keys", () => {
    for (const key of [
      "../x",
      "/etc/passwd",
      "a\\b",
      "a\0b",
      "CON",
      "nul.txt",
      "NUL",
      "com1",
      "..",
      ".",
      " ",
      "a.",
      "😀🚀",
    ]) {
      const enc = encodeKey(key, 2);
      expectSafeStem(enc.stem);
      expect(decodeStem(enc.stem)).toBe(key);
    }
  });

  it("names long keys by their hash, up to the documented maximum", () => {
    const long = "K".repeat(1000);
    const enc = encodeKey(long, 2);
    expect(enc.hashed).toBe(true);
    expectSafeStem(enc.stem);
    expect(encodeKey("😀".repeat(MAX_KEY_BYTES / 4), 2).hashed).toBe(true);
    expect(encodeKey(`${long}x`, 2).stem).not.toBe(enc.stem);
    // The longest direct key: 199 escaped characters.
    expect(encodeKey("a".repeat(MAX_DIRECT_STEM - 1), 2).hashed).toBe(false);
    expect(encodeKey("a".repeat(MAX_DIRECT_STEM), 2).hashed).toBe(true);
  });

  it("rejects empty, over-long, lone-surrogate and non-string keys with ERR_BAD_KEY", () => {
    const bad: unknown[] = [
      "",
      "a".repeat(MAX_KEY_BYTES + 1),
      "é".repeat(MAX_KEY_BYTES / 2 + 1),
      "\ud800",
      "a\udc00b",
      7,
      null,
    ];
    for (const key of bad) {
      expect(keyProblem(key)).toBeDefined();
      try {
        encodeKey(key as string, 2);
        expect.unreachable();
      } catch (e) {
        expect(isColzError(e, "ERR_BAD_KEY")).toBe(true);
      }
    }
    expect(keyProblem("a".repeat(MAX_KEY_BYTES))).toBeUndefined();
  });

  it("decodes only canonical stems", () => {
    for (const stem of [
      "k~41",
      "k~5f",
      "k~61",
      "k_1",
      "k~4",
      "k~zz",
      "kA",
      "k.a",
      "k",
      "x",
      "kfoo bar",
      "k~ff",
      "k~C3~A9",
    ]) {
      expect(decodeStem(stem)).toBeUndefined();
    }
  });
});
