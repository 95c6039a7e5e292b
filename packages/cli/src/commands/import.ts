import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { importToPath } from "../convert/import-to-path.js";
import { addImportOptions, parseImportOptions } from "../convert/options.js";

const EXAMPLES = `
Examples:
  $ colz import trades.csv trades.bcolz                 # a bcolz directory; column types inferred
  $ colz import trades.csv trades.zip --cname zstd --clevel 9
  $ colz import prices.arrow prices.bcolz --chunklen 65536
  $ colz import events.jsonl events.zip --schema id:i8,ts:M8[us],note:str?
  $ colz import data.txt t.bcolz --from csv --delimiter ';' --force

Formats (by extension, or --from): .arrow/.feather/.arrows (Arrow IPC file or stream),
.csv (first line is the header), .jsonl/.ndjson (one JSON object per line).
CSV and JSON lines column types are inferred from the first --infer-rows rows: int64, float64,
bool, datetime64 (ISO 8601; ms, us or ns), else UTF-8 text; a column with an empty value is
nullable. --schema NAME:DTYPE,... sets types (NumPy dtypes: i1..i8, u1..u8, f4, f8, bool, S<n>,
U<n>, M8[unit], m8[unit], or str; a trailing ? allows nulls).
The table is written under a temporary name beside PATH and renamed into place when complete.
`;

/** Registers `colz import IN PATH`. */
export function registerImport(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("import")
    .description("Convert an Arrow, CSV or JSON-lines file into a new ctable at PATH (atomically).")
    .argument("<in>", "input file (.arrow, .feather, .arrows, .csv, .jsonl, .ndjson)")
    .argument("<path>", "the ctable to create (a directory, or one file if it ends in .zip or --layout zip)");
  addImportOptions(cmd)
    .addHelpText("after", EXAMPLES)
    .action(async (inPath: string, outPath: string, opts: Record<string, unknown>) => {
      const options = parseImportOptions(opts);
      const result = await importToPath(inPath, outPath, options, ctx);
      if (!ctx.globals().quiet) {
        ctx.io.stderr.write(
          `colz: imported ${result.rows.toLocaleString("en-US")} rows, ${result.columns} columns into ${outPath} (${result.layout})\n`,
        );
      }
    });
}
