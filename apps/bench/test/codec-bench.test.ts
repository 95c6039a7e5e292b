// Smoke test of `bench codec`: runs the real CLI in --quick mode on 256 KB chunks and checks the
// table, the saved JSON and that every cross-decode check (ours <-> native c-blosc) passed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BENCH = join(dirname(fileURLToPath(import.meta.url)), "..");
const PYTHON = process.env.COLZ_BENCH_PYTHON || "/usr/bin/python3";
const DATA = ["f64-arange", "f64-walk", "i64-rand1000", "f64-uniform"];
const CNAMES = ["lz4", "blosclz", "zstd"];

function nativeAvailable(): boolean {
  if (process.env.COLZ_ORACLE === "1") return true;
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ["-c", "import blosc, numpy"], { stdio: "ignore" }).status === 0;
}

interface Check {
  case: string;
  name: string;
  ok: boolean;
  skipped?: boolean;
  error?: string;
}

describe("bench codec --quick", () => {
  let out: string;
  let run: ReturnType<typeof spawnSync>;
  let json: {
    native: { status: string; reason?: string };
    cases: Array<{ id: string; ours: { error?: string; ratio?: number }; checks: Check[] }>;
    checks: { passed: number; failed: number; skipped: number; all: Check[] };
    summary: Array<{ key: string; status: string }>;
  };
  const native = nativeAvailable();

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "colz-bench-test-"));
    run = spawnSync(process.execPath, ["src/cli.mjs", "codec", "--quick", "--sizes", "256k", "--out", out], {
      cwd: BENCH,
      encoding: "utf8",
      timeout: 240_000,
    });
    const path = join(out, "codec-latest.json");
    if (existsSync(path)) json = JSON.parse(readFileSync(path, "utf8"));
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("exits 0 and prints the table", () => {
    expect(run.error).toBeUndefined();
    expect(run.status, String(run.stderr).slice(-2000)).toBe(0);
    const stdout = String(run.stdout);
    expect(stdout).toMatch(/Codec benchmark: 256 KB chunks/);
    expect(stdout).toMatch(/data\s+cname\s+ratio ours\s+ratio native/);
    expect(stdout).toMatch(/dec\/native\s+enc\/native\s+dec\/nc/);
    expect(stdout).toMatch(/Cross-decode checks: \d+ passed/);
  });

  it("writes valid JSON and Markdown with every case", () => {
    expect(json).toBeDefined();
    expect(existsSync(join(out, "codec-latest.md"))).toBe(true);
    const ids = json.cases.map((c) => c.id).sort();
    const want = DATA.flatMap((d) => CNAMES.map((c) => `256k/${d}/${c}`)).sort();
    expect(ids).toEqual(want);
    expect(json.summary.map((s) => s.key)).toContain("decodeVsNative");
  });

  it("blosc-wasm compressed and decoded every case", () => {
    for (const c of json.cases) {
      expect(c.ours.error, c.id).toBeUndefined();
      expect(c.ours.ratio, c.id).toBeGreaterThan(1);
    }
  });

  it("every cross-decode check passed", () => {
    const failed = json.checks.all.filter((k) => !k.ok).map((k) => `${k.case}: ${k.name}: ${k.error}`);
    expect(failed).toEqual([]);
    expect(json.checks.failed).toBe(0);
  });

  it.runIf(native)("native c-blosc ran and cross-decodes bit-exactly both ways", () => {
    expect(json.native.status, json.native.reason).toBe("ok");
    for (const c of json.cases) {
      const names = c.checks.filter((k) => !k.skipped && k.ok).map((k) => k.name);
      expect(names, c.id).toContain("ours decodes native c-blosc 1.21");
      expect(names, c.id).toContain("native c-blosc 1.21 decodes ours");
    }
  });
});
