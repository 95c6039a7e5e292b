import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTable } from "@colz/ctable/node";
import { fixturesRoot } from "../../../test-support/fixtures-root.mjs";

/** The bcolz 1.2.1 fixture directories (written by real bcolz). */
export const BCOLZ = join(fixturesRoot(), "bcolz");

/** A fresh temporary directory and its cleanup. */
export function tempDir(name: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `colz-cli-${name}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A 3-row colz table exercising every output rule: int64 beyond 2^53, datetime64[ns] and [D]
 * with NaT/nulls, utf8 with quotes/commas/newlines, empty strings vs nulls, binary, NaN/Infinity,
 * float32, nullable bool.
 */
export async function createValuesTable(path: string, layout?: "zip"): Promise<void> {
  const t = await createTable(
    path,
    {
      id: new BigInt64Array([1n, 2n ** 60n, -(2n ** 53n) - 1n]),
      ts: new BigInt64Array([1704153600123456789n, 0n, -(2n ** 63n)]),
      day: [new Date("2024-01-02"), null, new Date("1969-12-31")],
      txt: ["plain", 'q"u,o\nte', null],
      empty: ["", "x", null],
      bin: [new Uint8Array([0, 255]), new Uint8Array([]), null],
      f: new Float64Array([Number.NaN, Number.POSITIVE_INFINITY, -0.5]),
      g: new Float32Array([1.1, Number.NEGATIVE_INFINITY, 3]),
      ok: [true, false, null],
    },
    { schema: { ts: "datetime64[ns]", day: "datetime64[D]" }, ...(layout === undefined ? {} : { layout }) },
  );
  await t.close();
}
