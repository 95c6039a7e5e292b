import type { Store } from "@colz/format";
import { CsvError, parse } from "csv-parse";
import { CliError } from "../errors.js";
import { throwIfInterrupted } from "./atomic.js";
import { TypeGuess } from "./infer.js";
import type { InputFile } from "./input-file.js";
import type { ImportOptions } from "./options.js";
import { RowImporter, resolveColumns } from "./row-importer.js";

// CSV → table, streaming: csv-parse reads records; the first --infer-rows records are held to
// infer the column types (see infer.ts), then appended, and the rest stream straight through.
// The first record is the header. An empty unquoted field is null; a quoted empty field ("")
// is an empty string in text columns (null elsewhere).

interface CsvRecord {
  record: (string | null)[];
  /** 1-based line the record starts on. */
  line: number;
}

/**
 * Indices of the fields of one raw record written as a quoted empty string (`""`), told apart
 * from empty unquoted fields (nulls). Only called for records with an empty field and a quote.
 */
function quotedEmptyFields(raw: string, delimiter: string): Set<number> {
  const out = new Set<number>();
  let field = 0;
  let i = 0;
  while (i < raw.length) {
    if (raw[i] === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= raw.length) break;
        if (raw[j] === '"') {
          if (raw[j + 1] === '"') j += 2;
          else break;
        } else j++;
      }
      if (j === i + 1) out.add(field);
      i = j + 1;
    }
    const next = raw.indexOf(delimiter, i);
    if (next < 0) break;
    i = next + delimiter.length;
    field++;
  }
  return out;
}

/**
 * Imports the CSV `input` into a new table in `store`; returns the table (flushed, still open).
 *
 * @example
 * const table = await importCsv(input, store, options, signal);
 */
export async function importCsv(
  input: InputFile,
  store: Store,
  options: ImportOptions,
  signal: AbortSignal,
): Promise<RowImporter["table"]> {
  // No `cast`/`info` options: csv-parse builds a context object per field for them, which is
  // ten times slower. `raw` gives each record's text, enough for line numbers and quoting.
  const parser = parse({ bom: true, delimiter: options.delimiter, raw: true, relax_column_count: true });
  const bytes = input.readable();
  bytes.pipe(parser);
  bytes.on("error", (e) => parser.destroy(e));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; raw: string }>;
  let lines = 1;
  let width = -1;
  const next = async (): Promise<CsvRecord | undefined> => {
    for (;;) {
      let r: IteratorResult<{ record: string[]; raw: string }>;
      try {
        r = await records.next();
      } catch (e) {
        throwIfInterrupted(signal);
        if (e instanceof CsvError) throw new CliError("ERR_BAD_INPUT", e.message, { path: input.path, cause: e });
        throw e;
      }
      if (r.done === true) return undefined;
      const { record, raw } = r.value;
      const line = lines;
      for (let k = raw.indexOf("\n"); k >= 0; k = raw.indexOf("\n", k + 1)) lines++;
      if (record.length === 1 && record[0] === "" && raw.trim() === "") continue; // a blank line
      if (width >= 0 && record.length !== width) {
        throw new CliError("ERR_BAD_INPUT", `line ${line}: ${record.length} fields, the header has ${width}`, {
          path: input.path,
        });
      }
      const quoted = raw.includes('"') && record.includes("") ? quotedEmptyFields(raw, options.delimiter) : undefined;
      const values: (string | null)[] = record;
      for (let c = 0; c < values.length; c++) if (values[c] === "" && quoted?.has(c) !== true) values[c] = null;
      return { record: values, line };
    }
  };

  const header = await next();
  if (header === undefined) throw new CliError("ERR_BAD_INPUT", "empty CSV file: no header line", { path: input.path });
  const names = header.record.map((n) => n ?? "");
  width = names.length;
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "")
      throw new CliError("ERR_BAD_INPUT", "line 1: empty column name in the header", { path: input.path });
    if (seen.has(name))
      throw new CliError("ERR_BAD_INPUT", `line 1: column ${JSON.stringify(name)} appears twice`, { path: input.path });
    seen.add(name);
  }

  // The sample: held in memory until the types are known.
  const guesses = names.map(() => new TypeGuess());
  const sample: CsvRecord[] = [];
  let record: CsvRecord | undefined;
  for (;;) {
    if (sample.length >= options.inferRows) break;
    record = await next();
    if (record === undefined) break;
    for (let c = 0; c < guesses.length; c++) guesses[c]!.observeText(record.record[c] ?? null);
    sample.push(record);
  }
  throwIfInterrupted(signal);
  const columns = resolveColumns(names, guesses, options, false);
  // Rows to expect, from the bytes per row of the sample: lets the table pick a good chunklen.
  const expectedlen =
    sample.length > 0 && parser.info.bytes > 0
      ? Math.ceil((input.size / parser.info.bytes) * (sample.length + 1))
      : undefined;
  const importer = await RowImporter.create(store, columns, "csv", input.path, options, expectedlen, signal);
  try {
    for (const r of sample) await importer.push(r.record, r.line);
    sample.length = 0;
    for (record = await next(); record !== undefined; record = await next())
      await importer.push(record.record, record.line);
    await importer.finish();
    return importer.table;
  } catch (e) {
    await importer.table.close().catch(() => undefined);
    throw e;
  }
}
