import { usageError } from "../errors.js";

/** Row output formats of `cat`, `head`, `store get` and `export`. */
export type OutputFormat = "table" | "csv" | "jsonl";

export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "csv", "jsonl"];

/**
 * The format named by `--format`; anything else is a usage error (exit 2).
 *
 * @example
 * parseFormat("csv"); // "csv"
 */
export function parseFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw usageError(`unknown format ${JSON.stringify(value)} (choose ${OUTPUT_FORMATS.join(", ")})`);
}
