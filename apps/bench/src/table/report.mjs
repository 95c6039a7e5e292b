// Turns a `bench table` run into one table of ratios (terminal + Markdown) and the target summary.
import { errorCell, fmtFactor, fmtRatio, fmtSpeed } from "../lib/format.mjs";
import { markdownTable, textTable } from "../lib/table.mjs";

/** What each measurement is, as the table names it. */
export const LABELS = {
  scan: 'readColumn("price")',
  scanNoCrc: 'readColumn("price"), no checksum check',
  scanInto: 'readColumn("price", {out})',
  scanIntoNoCrc: 'readColumn("price", {out}), no checksum check',
  scanInto2: 'readColumn("price", {out, threads: 2})',
  scanIntoNoCrc2: 'readColumn("price", {out, threads: 2}), no checksum check',
  readSyncRaw: "fs.readSync (raw file) into a warm array",
  decodeOnly: "decompress, chunks in memory",
  copy: "Float64Array.set (plain copy)",
  allocCopy: "Float64Array.slice (alloc + copy)",
  readFile: "fs.readFileSync (raw file)",
  where: "where(ts window), stats",
  whereNoStats: "where(ts window), no stats",
  scanTs: 'readColumn("ts") (full scan)',
  appendSync: "create + append + flush, fsync",
  fsWriteSync: "fs.writeFileSync + fsync",
  appendNoSync: "create + append + flush, no fsync",
  fsWrite: "fs.writeFileSync, no fsync",
  toArrow: "toArrow(table)",
  fromIPC: "tableFromIPC(readFileSync(.arrow))",
};

/**
 * The comparisons, in report order. `ratio` = colz speed / baseline speed (baseline time / colz
 * time): above 1 colz is faster. `target` is the pass mark, `goal` how the summary names it.
 * @type {Array<{ id: string, test: string, ours: keyof typeof LABELS, base: keyof typeof LABELS, target?: number, goal?: string }>}
 */
export const COMPARISONS = [
  { id: "scan/copy", test: "scan", ours: "scan", base: "copy", target: 0.5, goal: "scan into a new array" },
  { id: "scan/allocCopy", test: "scan", ours: "scan", base: "allocCopy" },
  { id: "scan/readFile", test: "scan", ours: "scan", base: "readFile" },
  { id: "scanNoCrc/copy", test: "scan, no checksums", ours: "scanNoCrc", base: "copy" },
  {
    id: "scanInto/copy",
    test: "scan, no allocation",
    ours: "scanInto",
    base: "copy",
    target: 0.5,
    goal: "scan into a reused array ({out})",
  },
  { id: "scanIntoNoCrc/copy", test: "scan, no allocation, no checksums", ours: "scanIntoNoCrc", base: "copy" },
  {
    id: "scanInto2/copy",
    test: "scan, no allocation, 2 threads",
    ours: "scanInto2",
    base: "copy",
    target: 0.5,
    goal: "scan into a reused shared array with 2 threads ({out, threads: 2}, checksums checked)",
  },
  {
    id: "scanIntoNoCrc2/copy",
    test: "scan, no allocation, 2 threads, no checksums",
    ours: "scanIntoNoCrc2",
    base: "copy",
  },
  { id: "scanInto/readSyncRaw", test: "scan vs reading raw", ours: "scanInto", base: "readSyncRaw" },
  { id: "decodeOnly/copy", test: "decode only", ours: "decodeOnly", base: "copy" },
  { id: "where/scanTs", test: "where 1%", ours: "where", base: "scanTs" },
  { id: "whereNoStats/scanTs", test: "where 1%, no skipping", ours: "whereNoStats", base: "scanTs" },
  { id: "appendSync/fsWriteSync", test: "append, fsync", ours: "appendSync", base: "fsWriteSync" },
  { id: "appendNoSync/fsWrite", test: "append, no fsync", ours: "appendNoSync", base: "fsWrite" },
  { id: "toArrow/fromIPC", test: "toArrow", ours: "toArrow", base: "fromIPC" },
];

/** @type {import("../lib/table.mjs").Column[]} */
const COLUMNS = [
  { key: "test", title: "test", align: "left" },
  { key: "ours", title: "colz", align: "left" },
  { key: "base", title: "baseline", align: "left" },
  { key: "oursMs", title: "colz ms" },
  { key: "baseMs", title: "base ms" },
  { key: "oursMbps", title: "colz MB/s" },
  { key: "baseMbps", title: "base MB/s" },
  { key: "ratio", title: "colz/base" },
  { key: "note", title: "note", align: "left" },
];

export const LEGEND = [
  "ms = median wall time of one call over the samples; MB/s = 10^6 uncompressed bytes of the column(s) involved per second.",
  "colz/base = baseline time / colz time: above 1x colz is faster (for where: how much faster than scanning the column).",
  "scan: the whole price column decoded into one new Float64Array (chunks decoded straight into it; the XXH64 checksum of each chunk checked against its sidecar, the default).",
  "copy: Float64Array.prototype.set of the same bytes into a preallocated array; alloc + copy: slice(), a fresh 8-byte-per-row array each call (readColumn allocates one too).",
  "readFile: fs.readFileSync of the same bytes stored uncompressed, from the page cache.",
  "scan, no allocation: the same read decoded into a preallocated array, readColumn(name, 0, n, {out}), reused across calls (checksums checked; no checksums: the same without).",
  "scan, no allocation, 2 threads: the same read with {out, threads: 2} into a reused array backed by a SharedArrayBuffer: this thread and one worker thread each read, check and decode half of the chunks (the copy baseline stays single-threaded).",
  "scan vs reading raw: that scan against fs.readSync of the same bytes stored uncompressed (page cache) into the same warm array: decompressing vs reading.",
  "decode only: @colz/blosc-wasm decompressing the price chunks (already in memory) into one preallocated array: the codec's share of a scan.",
  "where: table.where(expr, {columns: ['ts']}) on the sorted ts column; chunks whose min/max rule them out are never read. no skipping: the same where() with the statistics hidden.",
  "append: CTable.create + append in batches + flush + close of both columns into an empty DirectoryStore; fs: fs.writeFileSync of each column's bytes to one file (fsync: then fsync each file and the directory).",
  "toArrow: toArrow(table) of both columns (decompresses everything); tableFromIPC: apache-arrow on the bytes of an uncompressed IPC file read with readFileSync (zero-copy views).",
];

/** @param {number | undefined} ns */
function fmtMs(ns) {
  if (ns === undefined || !Number.isFinite(ns)) return "-";
  const ms = ns / 1e6;
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** "1.23 GB" / "456 MB" (10^6 units, like the MB/s). @param {number} bytes */
export function fmtBytes(bytes) {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** @param {any} m */
const ok = (m) => m !== undefined && !m.error && Number.isFinite(m.medianNs);

/** Rows per second, "12.3 M rows/s". @param {number} rows @param {any} m */
function rowsPerSec(rows, m) {
  return ok(m) ? `${(rows / (m.medianNs / 1e9) / 1e6).toFixed(1)} M rows/s` : "-";
}

/**
 * @param {Record<string, any>} m measurements @param {Record<string, any>} info
 */
export function compare(m, info) {
  return COMPARISONS.map((c) => {
    const o = m[c.ours];
    const b = m[c.base];
    const ratio = ok(o) && ok(b) ? b.medianNs / o.medianNs : Number.NaN;
    let note = "";
    if (c.target !== undefined) {
      note = `target >= ${fmtFactor(c.target)}: ${Number.isFinite(ratio) && ratio >= c.target ? "PASS" : "MISS"}`;
    } else if (c.ours === "where" && info.where?.chunks !== undefined) {
      const w = info.where;
      note = `${w.chunksRead} of ${w.chunks} chunks read, ${w.chunksSkipped} skipped`;
    } else if (c.ours.startsWith("append")) {
      note = `${rowsPerSec(info.rows, o)} vs ${rowsPerSec(info.rows, b)}`;
    }
    const cell = (/** @type {any} */ x, /** @type {(v: any) => string} */ f) =>
      x === undefined ? "not run" : x.error ? errorCell(x.error) : f(x);
    return {
      ...c,
      ratio,
      cells: {
        test: c.test,
        ours: LABELS[c.ours],
        base: LABELS[c.base],
        oursMs: cell(o, (x) => fmtMs(x.medianNs)),
        baseMs: cell(b, (x) => fmtMs(x.medianNs)),
        oursMbps: cell(o, (x) => fmtSpeed(x.mbps)),
        baseMbps: cell(b, (x) => fmtSpeed(x.mbps)),
        ratio: fmtFactor(ratio),
        note,
      },
    };
  });
}

/**
 * @param {{ measurements: Record<string, any>, checks: any[], info: Record<string, any>, meta: any }} run
 * @returns {{ text: string, markdown: string, comparisons: any[], summary: any[], failed: number, errors: string[] }}
 */
export function buildReport(run) {
  const { measurements: m, checks, info, meta } = run;
  const rows = compare(m, info);
  const summary = rows
    .filter((r) => r.target !== undefined)
    .map((r) => {
      const status = Number.isFinite(r.ratio) && r.ratio >= /** @type {number} */ (r.target) ? "PASS" : "MISS";
      return {
        id: r.id,
        target: r.target,
        value: r.ratio,
        status,
        text: `${r.goal ?? "scan"} vs plain copy (${info.cparams?.cname ?? "?"} + shuffle, page cache warm): ${fmtFactor(r.ratio)} (target >= ${fmtFactor(r.target)}) ${status}`,
      };
    });
  const failed = checks.filter((k) => !k.ok);
  const errors = Object.entries(m)
    .filter(([, v]) => v?.error)
    .map(([k, v]) => `${k} (${LABELS[/** @type {keyof typeof LABELS} */ (k)] ?? k}): ${v.error}`);
  const env = meta.env;
  const o = meta.options;
  const title = `Table benchmark: ${info.rows?.toLocaleString("en-US")} rows, ${o.cname} clevel ${o.clevel} shuffle, chunklen ${info.chunklen} (${info.nchunks} chunks per column), median of ${o.reps}`;
  const dataLine = [
    info.price &&
      `price float64 ${fmtBytes(info.price.nbytes)} -> ${fmtBytes(info.price.cbytes)} (${fmtRatio(info.price.ratio)}x)`,
    info.ts && `ts int64 ${fmtBytes(info.ts.nbytes)} -> ${fmtBytes(info.ts.cbytes)} (${fmtRatio(info.ts.ratio)}x)`,
    info.peakRssMB && `peak RSS ${(info.peakRssMB / 1024).toFixed(2)} GB`,
  ]
    .filter(Boolean)
    .join("; ");
  const load = env.loadAverage.map((/** @type {number} */ x) => x.toFixed(2)).join(" ");
  const loadEnd = env.loadAverageEnd.map((/** @type {number} */ x) => x.toFixed(2)).join(" ");
  const envLine = `node ${env.node}, ${env.cpu} x${env.cpus}, @colz/ctable ${env.versions.ctable}, apache-arrow ${env.versions.apacheArrow}; load average ${load} at start, ${loadEnd} at end${
    o.quick ? ", QUICK (rough numbers)" : ""
  }${env.busy ? ", BUSY MACHINE: noisy numbers" : ""}`;
  const checkLine = `Checks: ${checks.length - failed.length} passed, ${failed.length} failed`;
  const failLines = failed.map((k) => `!!! FAILED ${k.name}: ${k.error}`);
  const cells = rows.map((r) => r.cells);

  const text = [title, "", dataLine, "", textTable(COLUMNS, cells), ""];
  text.push(...LEGEND.map((l) => `  ${l}`), "", envLine, "", "SUMMARY:", ...summary.map((s) => `  ${s.text}`));
  text.push("", checkLine, ...failLines);
  if (errors.length) text.push("", "Errors:", ...errors.map((e) => `  ${e}`));

  const md = ["# colz table benchmark", "", `${meta.timestamp} — ${envLine}`, "", `## ${title}`, "", dataLine, ""];
  md.push(markdownTable(COLUMNS, cells), "", ...summary.map((s) => `- ${s.text}`), "", `**${checkLine}**`, "");
  if (failLines.length) md.push(...failLines.map((l) => `- ${l}`), "");
  if (errors.length) md.push("## Errors", "", ...errors.map((e) => `- ${e}`), "");
  md.push("## Legend", "", ...LEGEND.map((l) => `- ${l}`), "");
  return {
    text: text.join("\n"),
    markdown: md.join("\n"),
    comparisons: rows.map(({ cells: _, ...r }) => r),
    summary,
    failed: failed.length,
    errors,
  };
}
