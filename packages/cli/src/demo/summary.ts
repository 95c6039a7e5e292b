import { alignRows } from "../output/align.js";
import type { DemoResult } from "./run-demo.js";

function mb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;
}

/** colz against raw, in words: "1.80x smaller", "2.10x slower". */
function versus(raw: number, colz: number, less: string, more: string): string {
  if (!(raw > 0 && colz > 0)) return "-";
  return raw >= colz ? `${(raw / colz).toFixed(2)}x ${less}` : `${(colz / raw).toFixed(2)}x ${more}`;
}

/** The demo's summary table, as printed on stdout. */
export function formatSummary(r: DemoResult, kept: boolean): string {
  const w = r.workload;
  const lines: string[] = [];
  lines.push(
    `colz demo: a key store of ${w.nkeys} keys, each two columns of equal random length in [0, ${w.maxrows.toLocaleString("en-US")}) ` +
      `(int64 in [0, 1000), float64 in [0, 1)): ${r.rows.toLocaleString("en-US")} rows, ${mb(r.rawBytes)} of raw data`,
  );
  lines.push(`data in ${r.dir}${kept ? "" : " (removed at the end)"}`);
  lines.push("");
  lines.push(
    alignRows(
      [
        ["", "raw files", "colz (lz4, shuffle)", "colz vs raw"],
        [
          "on disk",
          mb(r.disk.raw.bytes),
          mb(r.disk.colz.bytes),
          versus(r.disk.raw.bytes, r.disk.colz.bytes, "smaller", "larger"),
        ],
        ["files", String(r.disk.raw.files), String(r.disk.colz.files), ""],
        [
          "create",
          ms(r.create.rawMs),
          ms(r.create.colzMs),
          versus(r.create.rawMs, r.create.colzMs, "faster", "slower"),
        ],
        [
          `query ${w.nlookups} keys`,
          ms(r.query.rawMs),
          ms(r.query.colzMs),
          versus(r.query.rawMs, r.query.colzMs, "faster", "slower"),
        ],
      ],
      [false, true, true, false],
    ).trimEnd(),
  );
  lines.push("");
  lines.push(
    `query    ${r.query.rowsRead.toLocaleString("en-US")} rows read per pass (median of 3 passes); same data from both: ${r.query.sameData ? "yes" : "NO"}`,
  );
  lines.push(
    `export   ${r.exported.key} -> ${r.exported.file}: ${r.exported.rows.toLocaleString("en-US")} rows, ${mb(r.exported.bytes)} (Arrow IPC, lz4)`,
  );
  lines.push(`info     ${r.info.keys} keys, ${r.info.files} files, ${r.info.storeLayout} layout`);
  lines.push(
    `verify   ${r.verify.ok ? "ok" : `DAMAGED (${r.verify.problems} problems)`}: ${r.verify.keys} keys, ${r.verify.carrays} carrays, ${r.verify.chunks} chunks checked`,
  );
  return `${lines.join("\n")}\n`;
}
