import type { Cname, Shuffle } from "@colz/blosc-wasm";
import type { CParamsInput } from "@colz/ctable";
import { type Command, Option } from "commander";
import { usageError } from "../errors.js";
import { type ExportFormat, type ImportFormat, parseExportFormat, parseImportFormat } from "./formats.js";
import { parseSchemaOption, type SchemaOverride } from "./schema-option.js";

/** How `colz import` (and `store put`) builds a table. */
export interface ImportOptions {
  /** Input format; undefined: chosen by the input's extension. */
  from: ImportFormat | undefined;
  cparams: CParamsInput;
  chunklen: number | undefined;
  /** Layout of the new table; undefined: zip when the path ends in .zip, else dir. */
  layout: "dir" | "zip" | undefined;
  /** Column types given with --schema (the others are inferred). */
  schema: SchemaOverride[];
  /** Rows read before the column types are fixed (CSV, JSON lines). */
  inferRows: number;
  /** Replace an existing output. */
  force: boolean;
  /** CSV field delimiter. */
  delimiter: string;
}

/** What `colz export` (and `store get`) writes. */
export interface ExportOptions {
  /** Output format; undefined: chosen by the output's extension. */
  to: ExportFormat | undefined;
  /** Columns to write, in this order (default all). */
  columns: string[] | undefined;
  /** Only rows matching this where() expression (EXPRESSIONS.md). */
  where: string | undefined;
  /** Arrow IPC body compression. */
  compression: "lz4" | "zstd" | null;
  force: boolean;
}

const CNAMES: readonly Cname[] = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];
const SHUFFLES: readonly Shuffle[] = ["noshuffle", "shuffle", "bitshuffle"];

/** Default number of rows sampled for type inference. */
export const DEFAULT_INFER_ROWS = 10_000;

/** Adds the options of `colz import` / `colz store put` to `cmd`. */
export function addImportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--from <format>", "input format (default: by extension)").choices(["arrow", "csv", "jsonl"]))
    .option("--cname <codec>", `compressor: ${CNAMES.join(", ")}`, "lz4")
    .option("--clevel <n>", "compression level 0-9", "5")
    .option("--shuffle <filter>", `filter: ${SHUFFLES.join(", ")}`, "shuffle")
    .option("--chunklen <rows>", "rows per chunk (default: chosen from the row size)")
    .addOption(
      new Option("--layout <layout>", "table layout (default: zip if PATH ends in .zip)").choices(["dir", "zip"]),
    )
    .option(
      "--schema <columns>",
      "column types, e.g. id:i8,price:f8,sym:S10,ts:M8[ms],ok:bool,note:str (a trailing ? allows nulls)",
    )
    .option("--infer-rows <n>", "rows sampled to infer column types (CSV, JSON lines)", String(DEFAULT_INFER_ROWS))
    .option("--delimiter <char>", "CSV field delimiter", ",")
    .option("-f, --force", "replace an existing output");
}

function positiveInt(name: string, value: unknown, min: number, max: number): number {
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(`--${name} must be an integer ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function choice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw usageError(`--${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/**
 * Validates the parsed import options (commander's `opts()`); bad values are usage errors.
 *
 * @example
 * parseImportOptions({ cname: "zstd", clevel: "9", shuffle: "shuffle", inferRows: "10000" });
 */
export function parseImportOptions(opts: Record<string, unknown>): ImportOptions {
  const delimiter = typeof opts.delimiter === "string" ? opts.delimiter : ",";
  if (delimiter.length === 0 || delimiter.includes('"') || /[\r\n]/.test(delimiter)) {
    throw usageError(`--delimiter must be a non-empty string without quotes or newlines`);
  }
  return {
    from: opts.from === undefined ? undefined : parseImportFormat(String(opts.from)),
    cparams: {
      cname: choice("cname", opts.cname ?? "lz4", CNAMES),
      clevel: positiveInt("clevel", opts.clevel ?? "5", 0, 9),
      shuffle: choice("shuffle", opts.shuffle ?? "shuffle", SHUFFLES),
    },
    chunklen: opts.chunklen === undefined ? undefined : positiveInt("chunklen", opts.chunklen, 1, 2 ** 31),
    layout: opts.layout === undefined ? undefined : choice("layout", opts.layout, ["dir", "zip"] as const),
    schema: opts.schema === undefined ? [] : parseSchemaOption(String(opts.schema)),
    inferRows: positiveInt("infer-rows", opts.inferRows ?? String(DEFAULT_INFER_ROWS), 1, 100_000_000),
    force: opts.force === true,
    delimiter,
  };
}

/** Adds the options of `colz export` / `colz store get` to `cmd`. */
export function addExportOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--to <format>", "output format (default: by extension)").choices(["arrow", "arrows", "csv", "jsonl"]),
    )
    .option("--columns <names>", "columns to write, comma-separated, in this order")
    .option("--where <expr>", 'only rows matching the expression, e.g. "(price > 100) & (sym == \\"AAPL\\")"')
    .addOption(
      new Option("--compression <codec>", "Arrow body compression").choices(["lz4", "zstd", "none"]).default("lz4"),
    )
    .option("-f, --force", "replace an existing output");
}

/**
 * Validates the parsed export options (commander's `opts()`).
 *
 * @example
 * parseExportOptions({ columns: "ts,price", where: "price > 0", compression: "zstd" });
 */
export function parseExportOptions(opts: Record<string, unknown>): ExportOptions {
  let columns: string[] | undefined;
  if (opts.columns !== undefined) {
    columns = String(opts.columns)
      .split(",")
      .map((c) => c.trim());
    if (columns.some((c) => c === "")) throw usageError(`--columns must be a comma-separated list of column names`);
  }
  const where = opts.where === undefined ? undefined : String(opts.where);
  if (where !== undefined && where.trim() === "") throw usageError("--where must not be empty");
  const compression = choice("compression", opts.compression ?? "lz4", ["lz4", "zstd", "none"] as const);
  return {
    to: opts.to === undefined ? undefined : parseExportFormat(String(opts.to)),
    columns,
    where,
    compression: compression === "none" ? null : compression,
    force: opts.force === true,
  };
}
