import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KeyStore } from "@colz/store/node";
import { collectInfo } from "../commands/info.js";
import type { CliContext } from "../context.js";
import { throwIfInterrupted } from "../convert/atomic.js";
import { startProgress } from "../convert/progress.js";
import { exportStoreKey } from "../convert/store-convert.js";
import { detectPath } from "../open-path.js";
import { verifyPath } from "../verify/verify-path.js";
import { type DiskUsage, diskUsage } from "./disk-usage.js";
import { readRaw, writeRaw } from "./raw-files.js";
import { columnSum, keyColumns, keyLengths, keyName, lookupKeys, type Workload } from "./workload.js";

/** Everything the demo measured, for the summary. */
export interface DemoResult {
  dir: string;
  workload: Workload;
  rows: number;
  rawBytes: number;
  create: { colzMs: number; rawMs: number };
  disk: { colz: DiskUsage; raw: DiskUsage };
  query: { colzMs: number; rawMs: number; rowsRead: number; sameData: boolean };
  exported: { key: string; file: string; rows: number; bytes: number };
  info: { keys: number; files: number; storeLayout: string };
  verify: { ok: boolean; carrays: number; chunks: number; keys: number; problems: number };
}

/** Timed query passes per side; the median is reported (the machine may be noisy). */
const QUERY_PASSES = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Refuses a DIR that holds anything: the demo writes `keystore/`, `raw/` and an .arrow file there. */
export async function prepareDemoDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing !== undefined && (!existing.isDirectory() || (await readdir(dir)).length > 0)) {
    const { CliError } = await import("../errors.js");
    throw new CliError("ERR_EXISTS", "is not an empty directory (give a new or empty DIR)", { path: dir });
  }
  await mkdir(dir, { recursive: true });
}

/**
 * Runs the key-store workload in `dir`: creates a colz key store and the same data as raw files,
 * reads random keys from both (timed, checked against each other), exports one key to Arrow
 * and runs info and verify on the store.
 */
export async function runDemo(
  dir: string,
  workload: Workload,
  ctx: CliContext,
  signal: AbortSignal,
): Promise<DemoResult> {
  const lengths = keyLengths(workload);
  const lookups = lookupKeys(workload);
  const storeDir = join(dir, "keystore");
  const rawDir = join(dir, "raw");
  await mkdir(rawDir);
  let rows = 0;
  for (const n of lengths) rows += n;

  // Create: the same generated columns go to both sides; generation is not timed.
  let colzMs = 0;
  let rawMs = 0;
  const bar = startProgress(ctx, "create", workload.nkeys, "keys");
  let t0 = performance.now();
  // sync off on both sides, like numpy's savez and bcolz: scratch data, and fair.
  const ks = await KeyStore.open(storeDir, { mode: "a", layout: "zip", sync: false });
  colzMs += performance.now() - t0;
  try {
    for (let k = 0; k < workload.nkeys; k++) {
      throwIfInterrupted(signal);
      const cols = keyColumns(k, lengths[k]!, workload.seed);
      t0 = performance.now();
      await ks.set(keyName(k), { i: cols.i, f: cols.f }, { cparams: { cname: "lz4", clevel: 5, shuffle: "shuffle" } });
      colzMs += performance.now() - t0;
      t0 = performance.now();
      await writeRaw(rawDir, keyName(k), cols);
      rawMs += performance.now() - t0;
      bar.increment(1);
    }
  } finally {
    t0 = performance.now();
    await ks.close();
    colzMs += performance.now() - t0;
    bar.stop();
  }

  // Query: read `nlookups` random keys in full from each side, alternating passes.
  const reader = await KeyStore.open(storeDir, { mode: "r" });
  const colzTimes: number[] = [];
  const rawTimes: number[] = [];
  let colzSum = 0;
  let rawSum = 0;
  let rowsRead = 0;
  const qbar = startProgress(ctx, "query", QUERY_PASSES * 2 * lookups.length, "reads");
  try {
    for (let pass = 0; pass < QUERY_PASSES; pass++) {
      throwIfInterrupted(signal);
      colzSum = rawSum = rowsRead = 0;
      t0 = performance.now();
      for (const k of lookups) {
        const cols = await reader.getColumns(keyName(k));
        if (cols === undefined) throw new Error(`demo: key ${keyName(k)} is missing`);
        colzSum += columnSum({ i: cols.i as BigInt64Array, f: cols.f as Float64Array });
        rowsRead += (cols.f as Float64Array).length;
        qbar.increment(1);
      }
      colzTimes.push(performance.now() - t0);
      t0 = performance.now();
      for (const k of lookups) {
        rawSum += columnSum(await readRaw(rawDir, keyName(k)));
        qbar.increment(1);
      }
      rawTimes.push(performance.now() - t0);
    }
  } finally {
    await reader.close();
    qbar.stop();
  }

  // Export one key to Arrow, then info and verify, as `colz store get`, `info`, `verify` do.
  const key = keyName(lookups[0]!);
  const file = join(dir, `${key}.arrow`);
  const exported = await exportStoreKey(
    storeDir,
    key,
    file,
    { to: "arrow", columns: undefined, where: undefined, compression: "lz4", force: false },
    ctx,
  );
  const info = await collectInfo(storeDir);
  const verified = await verifyPath(await detectPath(storeDir));

  return {
    dir,
    workload,
    rows,
    rawBytes: rows * 16,
    create: { colzMs, rawMs },
    disk: { colz: await diskUsage(storeDir), raw: await diskUsage(rawDir) },
    query: { colzMs: median(colzTimes), rawMs: median(rawTimes), rowsRead, sameData: colzSum === rawSum },
    exported: { key, file, rows: exported.rows, bytes: (await stat(file)).size },
    info:
      info.kind === "keystore"
        ? { keys: info.keys, files: info.files, storeLayout: info.storeLayout }
        : { keys: 0, files: 0, storeLayout: "?" },
    verify: {
      ok: verified.ok,
      carrays: verified.checked.carrays,
      chunks: verified.checked.chunks,
      keys: verified.checked.keys ?? 0,
      problems: verified.problems.length,
    },
  };
}

/** Removes the demo's directory (best effort). */
export async function removeDemoDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Keeps the summary next to the data when DIR was given. */
export async function saveSummary(dir: string, text: string): Promise<void> {
  await writeFile(join(dir, "summary.txt"), text);
}
