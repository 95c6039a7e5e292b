import { createInterface } from "node:readline";
import type { Store } from "@colz/format";
import { CliError } from "../errors.js";
import { throwIfInterrupted } from "./atomic.js";
import { TypeGuess } from "./infer.js";
import type { InputFile } from "./input-file.js";
import type { ImportOptions } from "./options.js";
import { RowImporter, resolveColumns } from "./row-importer.js";

// JSON lines → table: one JSON object per line (blank lines skipped). The columns are the keys
// seen in the first --infer-rows rows (in first-seen order) plus any named by --schema; a key
// first appearing later is an error naming the line. Missing keys and nulls are null.

interface JsonRow {
  row: Record<string, unknown>;
  line: number;
}

/**
 * Imports the JSON-lines `input` into a new table in `store`; returns the table (flushed, open).
 *
 * @example
 * const table = await importJsonl(input, store, options, signal);
 */
export async function importJsonl(
  input: InputFile,
  store: Store,
  options: ImportOptions,
  signal: AbortSignal,
): Promise<RowImporter["table"]> {
  const lines = createInterface({ input: input.readable(), crlfDelay: Number.POSITIVE_INFINITY })[
    Symbol.asyncIterator
  ]();
  let lineNo = 0;
  const next = async (): Promise<JsonRow | undefined> => {
    for (;;) {
      let r: IteratorResult<string>;
      try {
        r = await lines.next();
      } catch (e) {
        throwIfInterrupted(signal);
        throw e;
      }
      if (r.done === true) return undefined;
      lineNo++;
      const text = lineNo === 1 ? r.value.replace(/^\uFEFF/, "") : r.value;
      if (text.trim() === "") continue;
      let row: unknown;
      try {
        row = JSON.parse(text);
      } catch (e) {
        throw new CliError("ERR_BAD_INPUT", `line ${lineNo}: not valid JSON: ${(e as Error).message}`, {
          path: input.path,
        });
      }
      if (row === null || typeof row !== "object" || Array.isArray(row)) {
        throw new CliError("ERR_BAD_INPUT", `line ${lineNo}: expected a JSON object, one per line`, {
          path: input.path,
        });
      }
      return { row: row as Record<string, unknown>, line: lineNo };
    }
  };

  const index = new Map<string, number>();
  const guesses: TypeGuess[] = [];
  const sample: JsonRow[] = [];
  let item: JsonRow | undefined;
  for (;;) {
    if (sample.length >= options.inferRows) break;
    item = await next();
    if (item === undefined) break;
    for (const key of Object.keys(item.row)) {
      if (index.has(key)) continue;
      index.set(key, guesses.length);
      const guess = new TypeGuess();
      // Rows before this one lacked the key: nulls.
      for (let r = 0; r < sample.length; r++) guess.observeJson(undefined);
      guesses.push(guess);
    }
    for (const [key, c] of index) guesses[c]!.observeJson(item.row[key]);
    sample.push(item);
  }
  throwIfInterrupted(signal);
  const columns = resolveColumns([...index.keys()], guesses, options, true);
  if (columns.length === 0) {
    throw new CliError("ERR_BAD_INPUT", sample.length === 0 ? "no rows" : "the rows have no fields", {
      path: input.path,
    });
  }
  const names = columns.map((c) => c.name);
  const known = new Set(names);
  const expectedlen =
    sample.length > 0 && input.stream.bytesRead > 0
      ? Math.ceil((input.size / input.stream.bytesRead) * sample.length)
      : undefined;
  const importer = await RowImporter.create(store, columns, "json", input.path, options, expectedlen, signal);
  const values: unknown[] = new Array(names.length);
  const push = async ({ row, line }: JsonRow): Promise<void> => {
    for (let c = 0; c < names.length; c++) values[c] = row[names[c]!];
    for (const key in row) {
      if (!known.has(key)) {
        throw new CliError(
          "ERR_BAD_INPUT",
          `line ${line}: field ${JSON.stringify(key)} is not in the first ${options.inferRows.toLocaleString("en-US")} rows; add it with --schema ${JSON.stringify(key)}:<dtype> or a larger --infer-rows`,
          { path: input.path },
        );
      }
    }
    await importer.push(values, line);
  };
  try {
    for (const r of sample) await push(r);
    sample.length = 0;
    for (item = await next(); item !== undefined; item = await next()) await push(item);
    await importer.finish();
    return importer.table;
  } catch (e) {
    await importer.table.close().catch(() => undefined);
    throw e;
  }
}
