import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { MemoryStore } from "@colz/format";
import { describe, expect, it } from "vitest";
import { KeyStore, MAX_KEY_BYTES } from "../src/node.js";
import { allKeys, readGen, smallValue, tempDir } from "./helpers.js";

const HOSTILE = [
  "../x",
  "../../../../../../tmp/escape",
  "/etc/passwd",
  "a\\b",
  "..\\..\\win",
  "a\0b",
  "\0",
  "CON",
  "con",
  "nul.txt",
  "NUL",
  "COM1",
  "LPT9.log",
  "Ab",
  "aB",
  "ab",
  "AB",
  "😀",
  "👩‍👩‍👧‍👦",
  ".",
  "..",
  ".hidden",
  "trailing.",
  "trailing ",
  " ",
  "a/b/c",
  "a//b",
  "C:\\Windows",
  "\u0130stanbul", // İ: case folding changes its length
  "ﬁ", // ligature: NFKC changes it
  "e\u0301", // NFD é
  "\u00e9", // NFC é: must stay distinct from the NFD one (macOS normalisation)
  "k_a",
  "~41",
  "%2e%2e",
  "\u202e", // right-to-left override
  "\n\r\t",
  "x".repeat(1000),
  "X".repeat(1000),
  "😀".repeat(MAX_KEY_BYTES / 4),
];

/** Every path under `dir`, relative. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out.push(p);
    if (statSync(p).isDirectory()) out.push(...walk(p));
  }
  return out;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

describe.each(["zip", "dir"] as const)("hostile keys (%s layout)", (layout) => {
  it("round-trip exactly, and nothing is written outside the root", async () => {
    const parent = tempDir("hostile");
    const root = join(parent, "store");
    const ks = await KeyStore.open(root, { mode: "a", layout, sync: false });
    for (const [i, key] of HOSTILE.entries()) await ks.set(key, smallValue(i));
    for (const [i, key] of HOSTILE.entries()) expect(await readGen(ks, key)).toBe(i);
    expect(await allKeys(ks)).toEqual([...HOSTILE].sort());
    // Renames and deletes of hostile keys stay inside too.
    await ks.rename("../x", "/etc/shadow");
    expect(await ks.delete("a\\b")).toBe(true);
    await ks.close();

    expect(readdirSync(parent)).toEqual(["store"]);
    for (const p of walk(root)) {
      const name = p.slice(p.lastIndexOf("/") + 1);
      expect(relative(root, p).startsWith("..")).toBe(false);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name).toMatch(/^[a-z0-9_~.-]+$/);
      expect(WINDOWS_RESERVED.test(name)).toBe(false);
    }
    // Names that differ only in case or Unicode normalisation map to names no file system merges.
    const lower = walk(root).map((p) => p.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);

    const reader = await KeyStore.open(root, { mode: "r" });
    const want = HOSTILE.filter((k) => k !== "../x" && k !== "a\\b")
      .concat("/etc/shadow")
      .sort();
    expect(await allKeys(reader)).toEqual(want);
    await reader.close();
  });
});

describe("invalid keys", () => {
  const bad: unknown[] = ["", "a".repeat(MAX_KEY_BYTES + 1), "\ud800", "x\udfff", 42, undefined, null];
  it.each(["zip", "dir", "memory"] as const)("are ERR_BAD_KEY everywhere (%s)", async (backing) => {
    const target = backing === "memory" ? new MemoryStore() : join(tempDir("bad"), "s");
    const ks = await KeyStore.open(target, { mode: "a", layout: backing === "memory" ? undefined : backing });
    await ks.set("ok", smallValue(1));
    for (const key of bad) {
      const k = key as string;
      await expect(ks.set(k, smallValue(1))).rejects.toMatchObject({ code: "ERR_BAD_KEY" });
      await expect(ks.get(k)).rejects.toMatchObject({ code: "ERR_BAD_KEY" });
      await expect(ks.getColumns(k)).rejects.toMatchObject({ code: "ERR_BAD_KEY" });
      await expect(ks.has(k)).rejects.toMatchObject({ code: "ERR_BAD_KEY" });
      await expect(ks.delete(k)).rejects.toMatchObject({ code: "ERR_BAD_KEY" });
      await expect(ks.rename("ok", k)).rejects.toMatchObject({ code: "ERR_BAD_KEY" });
      await expect(ks.rename(k, "ok")).rejects.toMatchObject({ code: "ERR_BAD_KEY" });
    }
    expect(await allKeys(ks)).toEqual(["ok"]);
    await ks.close();
  });
});
