import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { exportTable } from "../convert/export-table.js";
import { addExportOptions, parseExportOptions } from "../convert/options.js";
import { openReadableTable } from "../open-path.js";

const EXAMPLES = `
Examples:
  $ colz export prices.bcolz prices.arrow               # Arrow IPC file, lz4-compressed buffers
  $ colz export prices.bcolz prices.arrows --compression zstd   # Arrow IPC stream
  $ colz export prices.zip prices.csv --columns ts,price
  $ colz export prices.bcolz hot.jsonl --where "(price > 100) & (sym == \\"AAPL\\")"
  $ colz export close.bcolz close.csv --force           # a carray exports as one column

Formats (by extension, or --to): .arrow/.feather (Arrow IPC file), .arrows (Arrow IPC stream),
.csv (header line; an empty field is null, "" an empty string), .jsonl/.ndjson (one object per
row; int64 beyond 2^53 as strings, datetimes as ISO 8601, NaN/Infinity as strings).
OUT is written under a temporary name beside it and renamed into place when complete.
Key-store values: colz store get STORE KEY OUT.
`;

/** Registers `colz export PATH OUT`. */
export function registerExport(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("export")
    .description("Write a ctable or carray to an Arrow IPC file or stream, CSV or JSON lines (atomically).")
    .argument("<path>", "a ctable or carray (directory or .zip)")
    .argument("<out>", "output file (.arrow, .feather, .arrows, .csv, .jsonl, .ndjson)");
  addExportOptions(cmd)
    .addHelpText("after", EXAMPLES)
    .action(async (path: string, outPath: string, opts: Record<string, unknown>) => {
      const options = parseExportOptions(opts);
      const { table } = await openReadableTable(path);
      try {
        const result = await exportTable(table, outPath, options, ctx);
        if (!ctx.globals().quiet) {
          ctx.io.stderr.write(
            `colz: exported ${result.rows.toLocaleString("en-US")} rows to ${outPath} (${result.format})\n`,
          );
        }
      } finally {
        await table.close().catch(() => undefined);
      }
    });
}
