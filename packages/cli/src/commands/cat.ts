import { type Command, Option } from "commander";
import { parseColumns, parseSlice, type SliceArg } from "../args.js";
import type { ReadableTable } from "../carray-table.js";
import type { CliContext, CliIO } from "../context.js";
import { openReadableTable } from "../open-path.js";
import { OUTPUT_FORMATS, type OutputFormat, parseFormat } from "../output/formats.js";
import { createRowWriter } from "../output/row-writer.js";
import { isBrokenPipe, TextSink } from "../output/sink.js";
import { type RowQuery, streamRows } from "../read-rows.js";

/**
 * The width the table format fits into: the terminal's, or $COLUMNS when stdout is not a
 * terminal (undefined when neither is known: no limit beyond the per-cell cap).
 *
 * @example
 * terminalWidth(ctx.io); // 120
 */
export function terminalWidth(io: CliIO): number | undefined {
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 0) return io.stdout.columns;
  const env = Number(io.env.COLUMNS);
  return Number.isSafeInteger(env) && env > 0 ? env : undefined;
}

/**
 * Prints the rows `query` selects from `table` to stdout in `format`. A reader that goes away
 * (`colz cat big | head -1`) ends it quietly: no message, exit 0.
 *
 * @example
 * await printRows(ctx, table, { slice: { stop: 10 } }, "table");
 */
export async function printRows(
  ctx: CliContext,
  table: ReadableTable,
  query: RowQuery,
  format: OutputFormat,
): Promise<void> {
  const sink = new TextSink(ctx.io.stdout);
  const columns = query.columns ?? table.columnNames;
  const writer = createRowWriter(format, columns, sink, { width: terminalWidth(ctx.io) });
  try {
    await streamRows(table, query, writer);
    await sink.close();
  } catch (e) {
    if (!isBrokenPipe(e)) throw e;
  }
}

/** Options of `cat` and `store get` (printing branch). */
export interface CatOptions {
  slice?: string;
  columns?: string;
  where?: string;
  format: string;
}

/** Parses the shared row-selection flags (usage errors exit 2). */
export function parseCatOptions(opts: CatOptions): { query: RowQuery; format: OutputFormat } {
  const format = parseFormat(opts.format);
  const slice: SliceArg | undefined = opts.slice === undefined ? undefined : parseSlice(opts.slice);
  const columns = opts.columns === undefined ? undefined : parseColumns(opts.columns);
  return { format, query: { slice, columns, where: opts.where } };
}

/** Adds --slice, --columns, --where and --format to `cmd`. */
export function addCatOptions(cmd: Command): Command {
  return cmd
    .option("--slice <start:stop:step>", "rows to print, Python slice syntax (e.g. 100:200, -10:, ::-1)")
    .option("--columns <a,b>", "columns to print, comma-separated, in this order (default: all)")
    .option("--where <expr>", "only rows matching the expression (see ctable EXPRESSIONS.md)")
    .addOption(new Option("--format <format>", "output format").choices(OUTPUT_FORMATS).default("table"));
}

/**
 * Registers `colz cat PATH`.
 *
 * @example
 * registerCat(program, ctx);
 */
export function registerCat(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("cat")
    .description("Print the rows of a ctable or carray (streamed: constant memory, any size).")
    .argument("<path>", "a ctable or carray: a bcolz directory or a colz .zip file");
  addCatOptions(cmd)
    .addHelpText(
      "after",
      `
Examples:
  $ colz cat prices.bcolz
  $ colz cat prices.bcolz --slice -100: --columns ts,price
  $ colz cat prices.zip --where '(price > 100) & (sym == "AAPL")' --format csv > aapl.csv
  $ colz cat prices.bcolz --format jsonl | head -1`,
    )
    .action(async (path: string, opts: CatOptions) => {
      const { query, format } = parseCatOptions(opts);
      const { table } = await openReadableTable(path);
      try {
        await printRows(ctx, table, query, format);
      } finally {
        await table.close();
      }
    });
}
