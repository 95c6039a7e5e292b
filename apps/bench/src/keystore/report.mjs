// Turns a `bench keystore` run into the side-by-side table (terminal + Markdown), the issue's
// targets (PASS/MISS), the SVG chart and the JSON summary.
import { errorCell, fmtFactor } from "../lib/format.mjs";
import { markdownTable, textTable } from "../lib/table.mjs";
import { HEADLINE } from "./flavors.mjs";
import { barChart } from "./svg.mjs";

/** @type {import("../lib/table.mjs").Column[]} */
export const COLUMNS = [
  { key: "flavor", title: "flavor", align: "left" },
  { key: "create", title: "create (s)" },
  { key: "query", title: "query (ms)" },
  { key: "elements", title: "elements read" },
  { key: "files", title: "files" },
  { key: "disk", title: "on disk (MB)" },
  { key: "ratio", title: "data/disk" },
  { key: "xQuery", title: "query/raw" },
  { key: "xCreate", title: "create/raw" },
  { key: "xBytes", title: "bytes/raw" },
];

/**
 * The issue's targets, checked on one colz flavor against the baselines of the same run.
 * `value` returns the ratio (and what it was compared with) or undefined when not measurable.
 * @type {Array<{ key: string, label: string, max: number, strict?: boolean,
 *   value: (c: any, by: Map<string, any>, all: any[]) => { x: number, vs: string } | undefined }>}
 */
export const TARGETS = [
  {
    key: "queryVsRaw",
    label: "query time <= raw",
    max: 1.0,
    value: (c, by) => ratio(c.queryMs, by.get("raw")?.queryMs, "raw"),
  },
  {
    key: "createVsRaw",
    label: "creation time <= 1.5x raw",
    max: 1.5,
    value: (c, by) => ratio(c.createS, by.get("raw")?.createS, "raw"),
  },
  {
    key: "bytesVsZlib",
    label: "bytes on disk <= 1.2x zlib",
    max: 1.2,
    value: (c, by) => ratio(c.disk?.bytes, by.get("zlib")?.disk?.bytes, "zlib"),
  },
  {
    key: "queryVsCompressed",
    label: "query faster than every other compressed flavor",
    max: 1.0,
    strict: true,
    value: (c, _by, all) => {
      const others = all.filter((r) => r.compressed && r.group !== "colz" && ok(r));
      if (others.length === 0) return undefined;
      const best = others.reduce((a, b) => (b.queryMs < a.queryMs ? b : a));
      return ratio(c.queryMs, best.queryMs, best.name);
    },
  },
];

/** @param {any} r */
function ok(r) {
  return !r.error && Number.isFinite(r.queryMs);
}

/** @param {number | undefined} a @param {number | undefined} b @param {string} vs */
function ratio(a, b, vs) {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return undefined;
  return { x: a / b, vs };
}

/**
 * @param {any} c a colz flavor's result
 * @param {Map<string, any>} by results by name
 * @param {any[]} all
 */
export function checkTargets(c, by, all) {
  return TARGETS.map((t) => {
    const v = c && !c.error ? t.value(c, by, all) : undefined;
    const pass = v !== undefined && (t.strict ? v.x < t.max : v.x <= t.max);
    return {
      key: t.key,
      label: t.label,
      flavor: c?.name,
      value: v?.x,
      vs: v?.vs,
      status: v === undefined ? "n/a" : pass ? "PASS" : "MISS",
    };
  });
}

/** @param {number | undefined} x @param {number} digits */
function num(x, digits) {
  return x === undefined || !Number.isFinite(x) ? "-" : x.toFixed(digits);
}

/** @param {number} n */
function group3(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * @param {{ results: any[], workload: any, drop: any, meta: any, opts: import("./options.mjs").KeystoreOptions }} run
 */
export function buildReport({ results, workload, drop, meta, opts }) {
  const by = new Map(results.map((r) => [r.name, r]));
  const raw = by.get("raw");
  const rows = results.map(
    /** @returns {Record<string, string>} */ (r) => {
      if (r.error && r.createS === undefined) {
        /** @type {Record<string, string>} */
        const failed = Object.fromEntries(COLUMNS.map((c) => [c.key, "-"]));
        return { ...failed, flavor: r.name, create: errorCell(r.error, 60) };
      }
      return {
        flavor: r.name,
        create: num(r.createS, 2),
        query: r.error ? errorCell(r.error, 40) : num(r.queryMs, 1),
        elements: r.elementsRead !== undefined ? group3(r.elementsRead) : "-",
        files: r.disk ? group3(r.disk.files) : "-",
        disk: r.disk ? num(r.disk.bytes / 1e6, 1) : "-",
        ratio: r.disk ? num(workload.rawBytes / r.disk.bytes, 2) : "-",
        xQuery: fmtFactor(ratio(r.queryMs, raw?.queryMs, "raw")?.x),
        xCreate: fmtFactor(ratio(r.createS, raw?.createS, "raw")?.x),
        xBytes: fmtFactor(ratio(r.disk?.bytes, raw?.disk?.bytes, "raw")?.x),
      };
    },
  );

  const colz = results.filter((r) => r.group === "colz");
  const headline = by.get(HEADLINE) ?? colz.find((r) => r.compressed) ?? colz[0];
  const targets = checkTargets(headline, by, results);
  const perColz = colz.map((c) => ({ flavor: c.name, checks: checkTargets(c, by, results) }));
  const warm = !(drop.requested && drop.ok);
  const conditions = [
    opts.defaults ? "default options" : "NOT the default options (targets are defined for -m 100000 -k 300 -l 100)",
    warm ? "page cache warm" : "page cache dropped before every query pass (targets are defined in page cache)",
    opts.sync ? "fsync on in every flavor" : "no fsync in any flavor",
  ].join("; ");

  /** @type {import("../lib/table.mjs").Column[]} */
  const targetCols = [
    { key: "target", title: "target", align: "left" },
    { key: "value", title: `${headline?.name ?? "colz"}`, align: "right" },
    { key: "vs", title: "compared with", align: "left" },
    { key: "status", title: "status", align: "left" },
  ];
  const targetRows = targets.map((t) => ({
    target: t.label,
    value: fmtFactor(t.value),
    vs: t.vs ?? "-",
    status: t.status,
  }));
  /** @type {import("../lib/table.mjs").Column[]} */
  const matrixCols = [
    { key: "flavor", title: "colz flavor", align: "left" },
    ...TARGETS.map((t) => ({ key: t.key, title: t.label })),
  ];
  const matrixRows = perColz.map((p) => ({
    flavor: p.flavor,
    ...Object.fromEntries(
      p.checks.map((c) => [c.key, c.status === "n/a" ? "n/a" : `${fmtFactor(c.value)} ${c.status}`]),
    ),
  }));

  const floor = floorRows(headline, raw);
  /** @type {import("../lib/table.mjs").Column[]} */
  const floorCols = [
    { key: "work", title: "work", align: "left" },
    { key: "floor", title: "codec floor" },
    { key: "raw", title: "raw flavor" },
    { key: "x", title: "floor/raw" },
    { key: "verdict", title: "target", align: "left" },
  ];
  const floorTitle = `Codec floor of ${headline?.name ?? "colz"}: the least its query and creation can cost here (its chunks decompressed / compressed in memory, with no metadata, checksums or statistics; files read into one reused buffer)`;

  const header =
    `Key-store benchmark: ${workload.keys} keys of 0..${workload.maxrows - 1} rows (int64 + float64), ` +
    `${group3(workload.rows)} rows, ${(workload.rawBytes / 1e6).toFixed(1)} MB of data; ` +
    `query: ${workload.lookups} random keys read in full, ${opts.reps} passes (median)`;
  const errors = results.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`);
  const footer = [
    `conditions: ${conditions}`,
    `drop caches: ${!drop.requested ? "not requested" : drop.ok ? `dropped ${drop.drops} times` : drop.reason}`,
    `machine: ${meta.env.cpu}, ${meta.env.cpus} cpus, load average ${meta.env.loadAverage.map((/** @type {number} */ x) => x.toFixed(2)).join(" ")}${meta.env.busy ? " — BUSY MACHINE, timings are noisy" : ""}`,
  ];

  const text = [
    header,
    "",
    textTable(COLUMNS, rows),
    "",
    `Targets (checked on ${headline?.name ?? "no colz flavor"}):`,
    textTable(targetCols, targetRows),
    "",
    textTable(matrixCols, matrixRows),
    "",
    ...(floor.length ? [`${floorTitle}:`, textTable(floorCols, floor), ""] : []),
    ...footer,
    ...(errors.length ? ["", "ERRORS:", ...errors.map((e) => `  ${e}`)] : []),
  ].join("\n");

  const svg = barChart({
    title: `colz key-store benchmark: ${workload.keys} keys, ${workload.lookups} lookups (${meta.timestamp.slice(0, 10)})`,
    rows: results,
    panels: [
      { title: "query (ms, lower is better)", value: (r) => r.queryMs, fmt: (v) => v.toFixed(v >= 100 ? 0 : 1) },
      { title: "create (s, lower is better)", value: (r) => r.createS, fmt: (v) => v.toFixed(2) },
      { title: "on disk (MB, lower is better)", value: (r) => r.disk && r.disk.bytes / 1e6, fmt: (v) => v.toFixed(1) },
    ],
  });

  const legend = results.map((r) => `- **${r.name}**: ${r.label}`);
  const markdown = (/** @type {string} */ svgFile) =>
    [
      "# Key-store benchmark",
      "",
      `${header}.`,
      "",
      `Run ${meta.timestamp} in ${meta.durationS.toFixed(0)} s; node ${meta.env.node}, ${meta.env.platform}, ${meta.env.cpu} (${meta.env.cpus} cpus), load average ${meta.env.loadAverage.map((/** @type {number} */ x) => x.toFixed(2)).join(" ")}${meta.env.busy ? " (**busy machine**: timings are noisy)" : ""}.`,
      `Options: \`${meta.command}\`. Conditions: ${conditions}.`,
      "",
      markdownTable(COLUMNS, rows),
      "",
      "create = writer open + every key written + close (data generation excluded); query = reader open + the lookups, each key's two columns read in full into a BigInt64Array and a Float64Array; elements read = values returned by one pass; files = regular files; on disk = sum of st_blocks x 512 over files and directories (like `du`); data/disk = data bytes / on disk; x/raw = this flavor divided by raw.",
      "",
      `## Targets (${headline?.name ?? "no colz flavor"}: the KeyStore defaults)`,
      "",
      markdownTable(targetCols, targetRows),
      "",
      "Every colz flavor against the same targets:",
      "",
      markdownTable(matrixCols, matrixRows),
      "",
      ...(floor.length
        ? [
            "## Codec floor",
            "",
            `${floorTitle}. A floor above a target's limit means no store built on this codec meets that target on this machine. For the query, both flavors' files are read into one reused buffer (no page faults) and compared like for like: both flavors also return the same bytes in fresh arrays, which costs them the same.`,
            "",
            markdownTable(floorCols, floor),
            "",
          ]
        : []),
      "## Chart",
      "",
      svg,
      "",
      `(also saved as [${svgFile}](${svgFile}))`,
      "",
      "## Flavors",
      "",
      ...legend,
      "",
      `drop caches: ${!drop.requested ? "not requested" : drop.ok ? `dropped ${drop.drops} times` : drop.reason}.`,
      ...(errors.length ? ["", "## Errors", "", ...errors.map((e) => `- ${e}`)] : []),
    ].join("\n");

  return { text, markdown, svg, targets, perColz, conditions, errors, floor };
}

/**
 * The headline flavor's codec floor beside the raw flavor's times, with what it means for the
 * targets on time (query <= raw, creation <= 1.5x raw).
 * @param {any} c @param {any} raw @returns {Record<string, string>[]}
 */
function floorRows(c, raw) {
  const f = c?.floor;
  if (!f || !raw) return [];
  /** @param {number} x @param {number} limit */
  const verdict = (x, limit) =>
    x > limit ? `out of reach here (floor alone > ${limit}x raw)` : `not ruled out by the codec (limit ${limit}x raw)`;
  /** @type {Record<string, string>[]} */
  const rows = [];
  if (f.rawReadMs !== undefined) {
    // Like for like: both read into reused memory; the arrays both return cost them the same.
    const x = (f.colzReadMs + f.decodeMs) / f.rawReadMs;
    rows.push({
      work: `query: read one pass's files into a reused buffer (${num(f.colzReadMs, 1)} ms) + decompress their ${group3(f.decodeChunks)} chunks (${num(f.decodeMs, 1)} ms, ${num(f.decodedBytes / 1e6, 1)} MB)`,
      floor: `${num(f.colzReadMs + f.decodeMs, 1)} ms`,
      raw: `${num(f.rawReadMs, 1)} ms (same reads)`,
      x: fmtFactor(x),
      verdict: verdict(x, 1),
    });
  }
  if (raw.createS !== undefined) {
    const x = f.encodeMs / 1e3 / raw.createS;
    rows.push({
      work: `create: compress all ${group3(f.encodeChunks)} chunks (no files written)`,
      floor: `${num(f.encodeMs / 1e3, 3)} s`,
      raw: `${num(raw.createS, 3)} s (whole creation)`,
      x: fmtFactor(x),
      verdict: verdict(x, 1.5),
    });
  }
  return rows;
}
