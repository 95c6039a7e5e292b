// Turns a `bench codec` run into tables (terminal + Markdown), a target summary and check lists.
import { errorCell, fmtFactor, fmtRatio, fmtSpeed, sizeLabel } from "../lib/format.mjs";
import { markdownTable, textTable } from "../lib/table.mjs";
import { median } from "../lib/timing.mjs";
import { INSTALL_HINT } from "./native.mjs";

/** @type {import("../lib/table.mjs").Column[]} */
export const COLUMNS = [
  { key: "data", title: "data", align: "left" },
  { key: "cname", title: "cname", align: "left" },
  { key: "rOurs", title: "ratio ours" },
  { key: "rNative", title: "ratio native" },
  { key: "rNc", title: "ratio nc" },
  { key: "rLz4", title: "ratio lz4*" },
  { key: "eOurs", title: "enc ours" },
  { key: "eNative", title: "enc native" },
  { key: "eNc", title: "enc nc" },
  { key: "dOurs", title: "dec ours" },
  { key: "dOursAlloc", title: "dec ours alloc" },
  { key: "dNative", title: "dec native" },
  { key: "dNc", title: "dec nc" },
  { key: "dLz4", title: "dec lz4*" },
  { key: "dCopy", title: "copy" },
  { key: "xDecNative", title: "dec/native" },
  { key: "xEncNative", title: "enc/native" },
  { key: "xDecNc", title: "dec/nc" },
];

export const LEGEND = [
  "MB/s = 10^6 uncompressed bytes per second, median of the samples; ratio = uncompressed / compressed size.",
  "ours = @colz/blosc-wasm (dec: into a preallocated `out`; dec ours alloc: without `out`).",
  "native = c-blosc via python3-blosc, 1 thread (enc: blosc.compress; dec: blosc.decompress_ptr into a preallocated buffer).",
  "nc = numcodecs 0.3.2 from npm (emscripten c-blosc 1.18, no SIMD, always typesize 4; async encode/decode).",
  "lz4* = lz4-napi compressSync/uncompressSync on the raw bytes: plain LZ4, NOT Blosc (no shuffle, no blocks); same for every cname.",
  "copy = Uint8Array.prototype.set of the same bytes (memory bandwidth reference).",
  "dec/native, enc/native, dec/nc = our MB/s divided by theirs (higher is better for us).",
];

/** Targets from the issue. `stat` says how the per-case values are reduced. */
export const TARGETS = [
  { key: "decodeVsNative", label: "decode vs native c-blosc", stat: "median", min: 1.0, fmt: fmtFactor },
  { key: "encodeVsNative", label: "encode vs native c-blosc", stat: "median", min: 0.5, fmt: fmtFactor },
  { key: "decodeVsNumcodecs", label: "decode vs numcodecs", stat: "median", min: 5.0, fmt: fmtFactor },
  {
    key: "ratioVsNative",
    label: "ratio vs native c-blosc (worst case, within 5%)",
    stat: "min",
    min: 0.95,
    fmt: fmtFactor,
  },
];

/** @param {any} m */
function speedCell(m) {
  if (!m) return "-";
  if (m.error) return errorCell(m.error);
  if (m.skipped) return "skipped";
  return fmtSpeed(m.mbps);
}

/** @param {any} impl */
function ratioCell(impl) {
  if (!impl) return "-";
  if (impl.error) return errorCell(impl.error);
  if (impl.skipped) return "skipped";
  return fmtRatio(impl.ratio);
}

/** @param {any} impl @param {string} what */
function phase(impl, what) {
  if (!impl) return undefined;
  if (impl.error) return { error: impl.error };
  if (impl.skipped) return { skipped: true };
  return impl[what];
}

/** @param {any} r @returns {Record<string, string>} */
export function rowCells(r) {
  return {
    data: r.data,
    cname: r.cname,
    rOurs: ratioCell(r.ours),
    rNative: ratioCell(r.native),
    rNc: ratioCell(r.numcodecs),
    rLz4: ratioCell(r.lz4napi),
    eOurs: speedCell(phase(r.ours, "encode")),
    eNative: speedCell(phase(r.native, "encode")),
    eNc: speedCell(phase(r.numcodecs, "encode")),
    dOurs: speedCell(phase(r.ours, "decode")),
    dOursAlloc: speedCell(phase(r.ours, "decodeAlloc")),
    dNative: speedCell(phase(r.native, "decode")),
    dNc: speedCell(phase(r.numcodecs, "decode")),
    dLz4: speedCell(phase(r.lz4napi, "decode")),
    dCopy: speedCell(r.copy?.decode),
    xDecNative: fmtFactor(r.derived.decodeVsNative),
    xEncNative: fmtFactor(r.derived.encodeVsNative),
    xDecNc: fmtFactor(r.derived.decodeVsNumcodecs),
  };
}

/**
 * Reduces each target over `cases`. A case where our side failed counts as a miss.
 * @param {any[]} cases @param {{ status: string }} native
 */
export function summarize(cases, native) {
  return TARGETS.map((tg) => {
    const values = cases.map((c) => c.derived[tg.key]).filter((v) => Number.isFinite(v));
    const ourFailures = cases.filter((c) => c.ours.error || c.ours.decode?.error || c.ours.encode?.error).length;
    const needsNative = tg.key !== "decodeVsNumcodecs";
    let status;
    let value = Number.NaN;
    if (needsNative && native.status !== "ok") {
      status = "n/a";
    } else if (values.length === 0) {
      status = "MISS";
    } else {
      value = tg.stat === "min" ? Math.min(...values) : median(values);
      status = value >= tg.min && ourFailures === 0 ? "PASS" : "MISS";
    }
    return {
      key: tg.key,
      label: tg.label,
      stat: tg.stat,
      target: tg.min,
      value,
      status,
      cases: values.length,
      of: cases.length,
      ourFailures,
      text: `${tg.label}: ${tg.stat} ${tg.fmt(value)} (target >= ${tg.fmt(tg.min)}) ${status}${
        values.length < cases.length ? ` [${values.length}/${cases.length} cases measured]` : ""
      }`,
    };
  });
}

/** Every cross-decode check as a flat list. @param {any[]} cases */
export function allChecks(cases) {
  return cases.flatMap((c) => c.checks.map((/** @type {any} */ k) => ({ case: c.id, ...k })));
}

/** @param {any[]} cases */
function errorLines(cases) {
  const lines = [];
  for (const c of cases) {
    for (const impl of ["ours", "native", "numcodecs", "lz4napi"]) {
      const v = c[impl];
      if (!v) continue;
      if (v.error) lines.push(`${c.id} ${impl}: ${v.error}`);
      for (const ph of ["encode", "decode", "decodeAlloc"]) {
        if (v[ph]?.error && v[ph].error !== v.error) lines.push(`${c.id} ${impl} ${ph}: ${v[ph].error}`);
      }
    }
  }
  return [...new Set(lines)];
}

/**
 * @param {any} run result of runCodecBench plus meta
 * @returns {{ text: string, markdown: string, summary: any[], checks: any, tables: any[] }}
 */
export function buildReport(run) {
  const { cases, native, meta } = run;
  const sizes = [...new Set(cases.map((/** @type {any} */ c) => c.size))];
  const tables = sizes.map((size) => {
    const rows = cases.filter((/** @type {any} */ c) => c.size === size);
    const title = `Codec benchmark: ${sizeLabel(size)} chunks, clevel ${meta.options.clevel}, shuffle, typesize 8 (MB/s, median of ${meta.options.reps})`;
    return { size, title, cells: rows.map(rowCells), summary: summarize(rows, native) };
  });
  const summary = summarize(cases, native);
  const checks = allChecks(cases);
  const failed = checks.filter((k) => !k.ok);
  const skipped = checks.filter((k) => k.skipped);
  const passed = checks.length - failed.length - skipped.length;
  const checkLine = `Cross-decode checks: ${passed} passed, ${failed.length} failed, ${skipped.length} skipped`;
  const failLines = failed.map((k) => `!!! FAILED ${k.case}: ${k.name}: ${k.error}`);
  const errors = errorLines(cases);
  const nativeLine =
    native.status === "ok"
      ? `native: c-blosc ${native.bloscVersion} (python-blosc ${native.pythonBlosc}, 1 thread)`
      : native.status === "skipped"
        ? `native c-blosc: SKIPPED (${INSTALL_HINT}) - ${native.reason}`
        : `native c-blosc: ERROR - ${native.reason}`;
  const env = meta.env;
  const envLine = `node ${env.node}, ${env.cpu} x${env.cpus}, blosc-wasm ${env.versions.bloscWasm}, numcodecs ${env.versions.numcodecs}, lz4-napi ${env.versions.lz4napi}${meta.options.quick ? ", QUICK (rough numbers)" : ""}${
    env.busy ? `, BUSY MACHINE (load ${env.loadAverage[0].toFixed(2)}): noisy numbers` : ""
  }`;

  const text = [];
  const md = [`# colz codec benchmark`, "", `${meta.timestamp} — ${envLine}`, "", nativeLine, ""];
  for (const tb of tables) {
    text.push(tb.title, "", textTable(COLUMNS, tb.cells), "");
    text.push(...tb.summary.map((s) => `  ${s.text}`), "");
    md.push(`## ${tb.title}`, "", markdownTable(COLUMNS, tb.cells), "");
    md.push(...tb.summary.map((s) => `- ${s.text}`), "");
  }
  text.push(...LEGEND.map((l) => `  ${l}`), "", nativeLine, envLine, "");
  text.push(
    `SUMMARY (all sizes, ${cases.length} cases):`,
    ...summary.map((s) => `  ${s.text}`),
    "",
    checkLine,
    ...failLines,
  );
  if (errors.length) text.push("", "Errors:", ...errors.map((e) => `  ${e}`));
  md.push("## Summary (all sizes)", "", ...summary.map((s) => `- ${s.text}`), "", `**${checkLine}**`, "");
  if (failLines.length) md.push(...failLines.map((l) => `- ${l}`), "");
  if (errors.length) md.push("## Errors", "", ...errors.map((e) => `- ${e}`), "");
  md.push("## Legend", "", ...LEGEND.map((l) => `- ${l}`), "");
  return {
    text: text.join("\n"),
    markdown: md.join("\n"),
    summary,
    tables: tables.map((tb) => ({ size: tb.size, title: tb.title, summary: tb.summary })),
    checks: { passed, failed: failed.length, skipped: skipped.length, failures: failed, all: checks },
  };
}
