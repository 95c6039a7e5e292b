import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KeyStore } from "@colz/store/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { tempDir } from "./tables.js";

const tmp = tempDir("store");
const zipStore = join(tmp.dir, "zip-store");
const dirStore = join(tmp.dir, "dir-store");

// Keys that break naive tools: separators, traversal, control characters, case, Unicode forms, emoji, length.
const HOSTILE = [
  "AAPL",
  "aapl",
  "../../etc/passwd",
  "a/b\\c",
  "line\nbreak",
  "tab\tand\rcr",
  "nul\u0000byte",
  "CON",
  "é",
  "e\u0301",
  "🦀 crab",
  "x".repeat(300),
  " lead and trail ",
];

beforeAll(async () => {
  for (const [path, layout] of [
    [zipStore, "zip"],
    [dirStore, "dir"],
  ] as const) {
    const ks = await KeyStore.open(path, { mode: "a", layout, sync: false });
    for (const [i, key] of HOSTILE.entries()) await ks.set(key, { i: new Int32Array([i]) });
    await ks.set("prices", { close: new Float64Array([1.5, 2.5, 3.5]), vol: new BigInt64Array([1n, 2n ** 62n, 3n]) });
    await ks.close();
  }
});
afterAll(() => tmp.cleanup());

describe("colz store", () => {
  it("lists hostile keys exactly (--json and -0), in both layouts", async () => {
    const [json, nul, dirJson, raw] = await Promise.all([
      runCli(["store", "ls", "--json", zipStore]),
      runCli(["store", "ls", "-0", zipStore]),
      runCli(["store", "ls", "--json", dirStore]),
      runCli(["store", "ls", zipStore]),
    ]);
    const expected = [...HOSTILE, "prices"].sort();
    const fromJson = (s: string) =>
      s
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string)
        .sort();
    expect(fromJson(json.stdout)).toEqual(expected);
    expect(fromJson(dirJson.stdout)).toEqual(expected);
    expect(nul.stdout.endsWith("\0")).toBe(true);
    expect(nul.stdout.slice(0, -1).split("\0").sort()).toEqual(
      expected
        .filter((k) => !k.includes("\0"))
        .concat(["nul", "byte"])
        .sort(),
    );
    expect(raw.stdout).toContain("line\nbreak\n"); // raw by default: printed exactly as stored
    for (const r of [json, nul, dirJson, raw]) expect(r).toMatchObject({ code: 0, stderr: "" });
  });

  it("gets a key like cat, removes keys, and names missing keys", async () => {
    const [csv, jsonl, hostile, missing, rmMissing, notStore] = await Promise.all([
      runCli(["store", "get", zipStore, "prices", "--format", "csv"]),
      runCli(["store", "get", dirStore, "prices", "--format", "jsonl", "--slice", "1:2"]),
      runCli(["store", "get", zipStore, "line\nbreak", "--format", "csv"]),
      runCli(["store", "get", zipStore, "nope"]),
      runCli(["store", "rm", zipStore, "nope"]),
      runCli(["store", "ls", join(tmp.dir, "missing")]),
    ]);
    expect(csv.stdout).toBe("close,vol\n1.5,1\n2.5,4611686018427387904\n3.5,3\n");
    expect(jsonl.stdout).toBe('{"close":2.5,"vol":"4611686018427387904"}\n');
    expect(hostile.stdout).toBe(`i\n${HOSTILE.indexOf("line\nbreak")}\n`);
    expect(missing).toMatchObject({ code: 1, stderr: `colz: ${zipStore}: no such key "nope"\n` });
    expect(rmMissing).toMatchObject({ code: 1, stderr: `colz: ${zipStore}: no such key "nope"\n` });
    expect(notStore.code).toBe(1);
    expect(notStore.stderr).toContain("no such file or directory");

    // An invalid key is a usage error (exit 2) in every store command, named in one line.
    const badKeys = await Promise.all([
      runCli(["store", "get", zipStore, ""]),
      runCli(["store", "rm", zipStore, ""]),
      runCli(["store", "put", zipStore, "", join(tmp.dir, "missing.csv")]),
    ]);
    for (const r of badKeys) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^colz: .*key "" is invalid: it is empty \(ERR_BAD_KEY\)\n$/);
    }

    const rm = await runCli(["store", "rm", dirStore, "../../etc/passwd"]);
    expect(rm).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const ks = await KeyStore.open(dirStore, { mode: "r" });
    expect(await ks.has("../../etc/passwd")).toBe(false);
    expect(await ks.has("AAPL")).toBe(true);
    await ks.close();
  });

  it("puts a CSV under a key and exports it back to a file", async () => {
    const input = join(tmp.dir, "in.csv");
    const output = join(tmp.dir, "out.jsonl");
    writeFileSync(input, "sym,px\nA,1.5\nB,2\n");
    const put = await runCli(["store", "put", zipStore, "new key", input]);
    expect(put).toMatchObject({ code: 0, stderr: "" });
    const get = await runCli(["store", "get", zipStore, "new key", output]);
    expect(get).toMatchObject({ code: 0 });
    const rows = readFileSync(output, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(rows.map((r: { sym: string }) => r.sym)).toEqual(["A", "B"]);
    expect(rows.map((r: { px: number }) => Number(r.px))).toEqual([1.5, 2]);
  });
});
