// Smoke test of `bench table`: runs the real CLI in --quick mode (2M rows) as a child process and
// checks the printed table, the saved JSON (every measurement, every comparison, every check) and
// the time it takes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BENCH = join(dirname(fileURLToPath(import.meta.url)), "..");

const MEASUREMENTS = [
  "appendSync",
  "fsWriteSync",
  "appendNoSync",
  "fsWrite",
  "copy",
  "allocCopy",
  "readFile",
  "decodeOnly",
  "scan",
  "scanNoCrc",
  "scanInto",
  "scanIntoNoCrc",
  "scanInto2",
  "scanIntoNoCrc2",
  "readSyncRaw",
  "scanTs",
  "where",
  "whereNoStats",
  "toArrow",
  "fromIPC",
];

interface Timing {
  medianNs?: number;
  mbps?: number;
  reps?: number;
  error?: string;
}

describe("bench table --quick", () => {
  let out: string;
  let run: ReturnType<typeof spawnSync>;
  let seconds = 0;
  let json: {
    kind: string;
    data: { rows: number; chunklen: number; where: { chunks: number; chunksSkipped: number; rows: number } };
    measurements: Record<string, Timing>;
    comparisons: Array<{ id: string; ratio: number }>;
    summary: Array<{ id: string; status: string; value: number }>;
    checks: { passed: number; failed: number; all: Array<{ name: string; ok: boolean; error?: string }> };
    env: { loadAverage: number[] };
  };

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "colz-bench-table-test-"));
    const t0 = Date.now();
    run = spawnSync(process.execPath, ["src/cli.mjs", "table", "--quick", "--out", out, "--tmp", out], {
      cwd: BENCH,
      encoding: "utf8",
      timeout: 120_000,
    });
    seconds = (Date.now() - t0) / 1000;
    const path = join(out, "table-latest.json");
    if (existsSync(path)) json = JSON.parse(readFileSync(path, "utf8"));
  }, 150_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("exits 0 within 60 s and prints the table", () => {
    expect(run.error).toBeUndefined();
    expect(run.status, String(run.stderr).slice(-2000)).toBe(0);
    expect(seconds).toBeLessThan(60);
    const stdout = String(run.stdout);
    expect(stdout).toMatch(/Table benchmark: 2,000,000 rows, lz4 clevel 5 shuffle/);
    expect(stdout).toMatch(/test\s+colz\s+baseline\s+colz ms\s+base ms\s+colz MB\/s\s+base MB\/s\s+colz\/base/);
    expect(stdout).toMatch(/scan into a new array vs plain copy .*: [\d.]+x \(target >= 0\.50x\) (PASS|MISS)/);
    expect(stdout).toMatch(
      /scan into a reused array \(\{out\}\) vs plain copy .*: [\d.]+x \(target >= 0\.50x\) (PASS|MISS)/,
    );
    expect(stdout).toMatch(/Checks: \d+ passed, 0 failed/);
  });

  it("writes JSON and Markdown with every measurement", () => {
    expect(json?.kind).toBe("colz-bench-table");
    expect(existsSync(join(out, "table-latest.md"))).toBe(true);
    expect(json.data.rows).toBe(2_000_000);
    expect(json.env.loadAverage).toHaveLength(3);
    for (const name of MEASUREMENTS) {
      const m = json.measurements[name];
      expect(m?.error, name).toBeUndefined();
      expect(m?.medianNs, name).toBeGreaterThan(0);
      expect(m?.mbps, name).toBeGreaterThan(0);
      expect(m?.reps, name).toBe(3);
    }
    expect(json.comparisons).toHaveLength(15);
    for (const c of json.comparisons) expect(c.ratio, c.id).toBeGreaterThan(0);
    expect(json.summary.map((s) => s.id)).toEqual(["scan/copy", "scanInto/copy", "scanInto2/copy"]);
  });

  it("checked every timed operation's result, and where() skipped chunks", () => {
    const failed = json.checks.all.filter((k) => !k.ok).map((k) => `${k.name}: ${k.error}`);
    expect(failed).toEqual([]);
    expect(json.checks.passed).toBeGreaterThanOrEqual(8);
    expect(json.data.where.rows).toBe(20_000);
    expect(json.data.where.chunksSkipped).toBeGreaterThan(json.data.where.chunks / 2);
  });
});
