import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Cname } from "../../src/index.js";

export const PYTHON = "/usr/bin/python3";

/** True when real c-blosc (python3-blosc) can be run. */
export function haveOracle(): boolean {
  const r = spawnSync(PYTHON, ["-c", "import blosc"], { stdio: "ignore" });
  return r.status === 0;
}

export interface OracleCase {
  input: Uint8Array;
  ours: Uint8Array;
  typesize: number;
  clevel: number;
  shuffle: 0 | 1 | 2;
  cname: Cname;
}

export interface OracleResult {
  nativeDecodesOurs: boolean;
  error?: string;
  /** The chunk c-blosc wrote for the same input and parameters. */
  native: Uint8Array;
}

/** Runs one batch of cases through c-blosc in a single python process. */
export function runOracle(cases: OracleCase[]): OracleResult[] {
  const dir = mkdtempSync(join(tmpdir(), "colz-oracle-"));
  try {
    const parts: Uint8Array[] = [];
    let at = 0;
    const place = (bytes: Uint8Array): [number, number] => {
      parts.push(bytes);
      const where: [number, number] = [at, bytes.length];
      at += bytes.length;
      return where;
    };
    const manifest = cases.map((c) => ({
      input: place(c.input),
      ours: place(c.ours),
      typesize: c.typesize,
      clevel: c.clevel,
      shuffle: c.shuffle,
      cname: c.cname,
    }));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    writeFileSync(join(dir, "blob.bin"), Buffer.concat(parts));
    const script = join(dirname(fileURLToPath(import.meta.url)), "blosc_oracle.py");
    const r = spawnSync(PYTHON, [script, join(dir, "manifest.json"), join(dir, "blob.bin"), join(dir, "out.bin")], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`c-blosc oracle failed: ${r.stderr}`);
    const out = new Uint8Array(readFileSync(join(dir, "out.bin")));
    const raw = JSON.parse(r.stdout) as { nativeDecodesOurs: boolean; error?: string; native: [number, number] }[];
    return raw.map((x) => ({ ...x, native: out.slice(x.native[0], x.native[0] + x.native[1]) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
