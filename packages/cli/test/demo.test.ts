import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./convert-fixtures.js";
import { runCli } from "./run-cli.js";

const dir = tempDir("colz-demo-test-");

describe("colz demo", () => {
  it("runs in DIR, keeps the data, exits 0 and prints the summary", async () => {
    const target = join(dir, "kept");
    const r = await runCli(["demo", target], { timeoutMs: 110_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/on disk\s+[\d.]+ MB\s+[\d.]+ MB\s+[\d.]+x smaller/);
    expect(r.stdout).toMatch(/query 20 keys\s+[\d.]+ m?s\s+[\d.]+ m?s/);
    expect(r.stdout).toContain("same data from both: yes");
    expect(r.stdout).toMatch(/verify\s+ok: 50 keys, 100 carrays/);
    expect(r.stdout).toMatch(/export\s+key-\d{6} -> .*\.arrow: [\d,]+ rows/);
    expect(readdirSync(target).sort()).toEqual(expect.arrayContaining(["keystore", "raw", "summary.txt"]));
    // The store it leaves is a real one.
    const info = await runCli(["info", join(target, "keystore"), "--json"]);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).keys).toBe(50);
  });

  it("without DIR works in a temporary directory and removes it", async () => {
    const tmp = join(dir, "tmp");
    mkdirSync(tmp);
    const r = await runCli(["demo", "--quiet"], { env: { TMPDIR: tmp }, timeoutMs: 110_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("(removed at the end)");
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("refuses a DIR that is not empty", async () => {
    const full = join(dir, "full");
    mkdirSync(full);
    writeFileSync(join(full, "x"), "");
    const r = await runCli(["demo", full]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${full}: is not an empty directory`);
    expect(existsSync(join(full, "keystore"))).toBe(false);
  });
});
