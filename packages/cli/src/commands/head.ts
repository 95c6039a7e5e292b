import { type Command, Option } from "commander";
import { parseColumns, parseCount } from "../args.js";
import type { CliContext } from "../context.js";
import { openReadableTable } from "../open-path.js";
import { OUTPUT_FORMATS, parseFormat } from "../output/formats.js";
import { printRows } from "./cat.js";

/**
 * Registers `colz head PATH [-n N]`.
 *
 * @example
 * registerHead(program, ctx);
 */
export function registerHead(program: Command, ctx: CliContext): void {
  program
    .command("head")
    .description("Print the first rows of a ctable or carray (default 10).")
    .argument("<path>", "a ctable or carray: a bcolz directory or a colz .zip file")
    .option("-n, --rows <n>", "number of rows", "10")
    .option("--columns <a,b>", "columns to print, comma-separated (default: all)")
    .addOption(new Option("--format <format>", "output format").choices(OUTPUT_FORMATS).default("table"))
    .addHelpText(
      "after",
      `
Examples:
  $ colz head prices.bcolz
  $ colz head -n 3 prices.zip --format jsonl`,
    )
    .action(async (path: string, opts: { rows: string; columns?: string; format: string }) => {
      const n = parseCount(opts.rows, "-n");
      const format = parseFormat(opts.format);
      const columns = opts.columns === undefined ? undefined : parseColumns(opts.columns);
      const { table } = await openReadableTable(path);
      try {
        await printRows(ctx, table, { slice: { start: 0, stop: n }, columns }, format);
      } finally {
        await table.close();
      }
    });
}
