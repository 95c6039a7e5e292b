import { extname } from "node:path";
import { CliError, usageError } from "../errors.js";

/** Files `colz import` reads. */
export type ImportFormat = "arrow" | "csv" | "jsonl";
/** Files `colz export` writes: Arrow IPC file, Arrow IPC stream, CSV, JSON lines. */
export type ExportFormat = "arrow" | "arrows" | "csv" | "jsonl";

const IMPORT_EXTENSIONS: Record<string, ImportFormat> = {
  ".arrow": "arrow",
  ".feather": "arrow",
  ".arrows": "arrow", // readIPC tells the file and stream formats apart by their bytes
  ".ipc": "arrow",
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
};

const EXPORT_EXTENSIONS: Record<string, ExportFormat> = {
  ".arrow": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
  ".arrows": "arrows",
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
};

/** `--from` value → format; usage error otherwise. */
export function parseImportFormat(value: string): ImportFormat {
  if (value === "arrow" || value === "csv" || value === "jsonl") return value;
  throw usageError(`--from must be arrow, csv or jsonl, got ${JSON.stringify(value)}`);
}

/** `--to` value → format; usage error otherwise. */
export function parseExportFormat(value: string): ExportFormat {
  if (value === "arrow" || value === "arrows" || value === "csv" || value === "jsonl") return value;
  throw usageError(`--to must be arrow, arrows, csv or jsonl, got ${JSON.stringify(value)}`);
}

/** The format of input `path`: `--from` when given, else by extension. */
export function importFormatOf(path: string, from: ImportFormat | undefined): ImportFormat {
  if (from !== undefined) return from;
  const format = IMPORT_EXTENSIONS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new CliError(
      "ERR_USAGE",
      `cannot tell the input format from the extension (.arrow, .feather, .arrows, .csv, .jsonl, .ndjson); pass --from`,
      { path },
    );
  }
  return format;
}

/** The format of output `path`: `--to` when given, else by extension. */
export function exportFormatOf(path: string, to: ExportFormat | undefined): ExportFormat {
  if (to !== undefined) return to;
  const format = EXPORT_EXTENSIONS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new CliError(
      "ERR_USAGE",
      `cannot tell the output format from the extension (.arrow, .feather, .arrows, .csv, .jsonl, .ndjson); pass --to`,
      { path },
    );
  }
  return format;
}
