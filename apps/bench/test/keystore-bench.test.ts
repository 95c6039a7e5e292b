// Smoke test of `bench keystore`: runs the real CLI on a tiny workload (-m 2000 -k 20 -l 10, every
// flavor) as a child process and checks the exit code, the table, the saved JSON/Markdown/SVG,
// and that every flavor read back exactly the data that was written (same seed, same elements).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BENCH = join(dirname(fileURLToPath(import.meta.url)), "..");
const FLAVORS = [
  "raw",
  "zlib",
  "colz-zip-0",
  "colz-zip-lz4-5",
  "colz-zip-blosclz-5",
  "colz-zip-lz4-9",
  "colz-zip-blosclz-9",
  "colz-dir-0",
  "colz-dir-lz4-5",
  "colz-dir-blosclz-5",
  "colz-dir-lz4-9",
  "colz-dir-blosclz-9",
  "arrow-none",
  "arrow-lz4",
  "arrow-zstd",
  "zarrita-blosc",
];

interface FlavorResult {
  name: string;
  error?: string;
  createS?: number;
  queryMs?: number;
  elementsRead?: number;
  dataOk?: boolean;
  disk?: { files: number; bytes: number };
  floor?: {
    decodeMs: number;
    encodeMs: number;
    decodeChunks: number;
    decodedBytes: number;
    encodeChunks: number;
    colzReadMs: number;
    rawReadMs?: number;
  };
}

describe("bench keystore (tiny workload)", () => {
  let out: string;
  let data: string;
  let run: ReturnType<typeof spawnSync>;
  let ms = 0;
  let json: {
    workload: { elementsPerPass: number; rawBytes: number };
    flavors: FlavorResult[];
    targets: Array<{ key: string; status: string }>;
    errors: string[];
  };

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "colz-ks-bench-out-"));
    data = mkdtempSync(join(tmpdir(), "colz-ks-bench-data-"));
    const t0 = Date.now();
    run = spawnSync(
      process.execPath,
      ["src/cli.mjs", "keystore", "-m", "2000", "-k", "20", "-l", "10", "--reps", "2", "-d", data, "--out", out],
      { cwd: BENCH, encoding: "utf8", timeout: 120_000 },
    );
    ms = Date.now() - t0;
    const path = join(out, "keystore-latest.json");
    if (existsSync(path)) json = JSON.parse(readFileSync(path, "utf8"));
  }, 180_000);
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it("exits 0 within 60 s and prints the side-by-side table", () => {
    expect(run.error).toBeUndefined();
    expect(run.status, String(run.stderr).slice(-3000)).toBe(0);
    expect(ms).toBeLessThan(60_000);
    const stdout = String(run.stdout);
    expect(stdout).toMatch(/flavor\s+create \(s\)\s+query \(ms\)\s+elements read\s+files\s+on disk \(MB\)/);
    expect(stdout).toMatch(/query time <= raw/);
    for (const f of FLAVORS) expect(stdout).toContain(f);
  });

  it("records every flavor in the JSON, without errors", () => {
    expect(json).toBeDefined();
    expect(json.flavors.map((f) => f.name)).toEqual(FLAVORS);
    expect(json.errors).toEqual([]);
    for (const f of json.flavors) {
      expect(f.error, f.name).toBeUndefined();
      expect(f.createS, f.name).toBeGreaterThan(0);
      expect(f.queryMs, f.name).toBeGreaterThan(0);
      expect(f.disk?.files, f.name).toBeGreaterThanOrEqual(20);
      expect(f.disk?.bytes, f.name).toBeGreaterThan(0);
    }
    expect(json.targets.map((t) => t.key)).toEqual(["queryVsRaw", "createVsRaw", "bytesVsZlib", "queryVsCompressed"]);
  });

  it("reads the same elements, and the generated data, in every flavor", () => {
    const elements = new Set(json.flavors.map((f) => f.elementsRead));
    expect([...elements]).toEqual([json.workload.elementsPerPass]);
    expect(json.workload.elementsPerPass).toBeGreaterThan(0);
    for (const f of json.flavors) expect(f.dataOk, f.name).toBe(true);
  });

  it("measures the headline flavor's codec floor over exactly one pass's data, and reports it", () => {
    const floor = json.flavors.find((f) => f.name === "colz-zip-lz4-5")?.floor;
    expect(floor).toBeDefined();
    expect(floor!.decodeMs).toBeGreaterThan(0);
    expect(floor!.encodeMs).toBeGreaterThan(0);
    expect(floor!.colzReadMs).toBeGreaterThan(0);
    expect(floor!.rawReadMs).toBeGreaterThan(0);
    // The decoded chunks are one query pass's values, no more and no less (8 bytes per element).
    expect(floor!.decodedBytes).toBe(json.workload.elementsPerPass * 8);
    expect(floor!.encodeChunks).toBeGreaterThanOrEqual(floor!.decodeChunks > 0 ? 2 : 0);
    expect(json.flavors.filter((f) => f.floor !== undefined).map((f) => f.name)).toEqual(["colz-zip-lz4-5"]);
    const stdout = String(run.stdout);
    expect(stdout).toMatch(/Codec floor of colz-zip-lz4-5/);
    expect(stdout).toMatch(
      /query: read one pass's files into a reused buffer \([\d.]+ ms\) \+ decompress their \d+ chunks/,
    );
    expect(readFileSync(join(out, "keystore-latest.md"), "utf8")).toContain("## Codec floor");
  });

  it("saves Markdown with the inline chart, the SVG, and removes its data", () => {
    const md = readFileSync(join(out, "keystore-latest.md"), "utf8");
    expect(md).toMatch(/^# Key-store benchmark/);
    expect(md).toContain("<svg");
    expect(md).toMatch(/\| flavor \| create \(s\) \|/);
    expect(readFileSync(join(out, "keystore-latest.svg"), "utf8")).toMatch(/^<svg[^>]*>[\s\S]*<\/svg>\s*$/);
    expect(readdirSync(data)).toEqual([]);
  });
});
