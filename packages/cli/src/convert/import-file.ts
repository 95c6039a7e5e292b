import { basename } from "node:path";
import type { CTable } from "@colz/ctable";
import { readIPC } from "@colz/ctable/arrow";
import { isColzError, type Store } from "@colz/format";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { throwIfInterrupted } from "./atomic.js";
import { importFormatOf } from "./formats.js";
import { importCsv } from "./import-csv.js";
import { importJsonl } from "./import-jsonl.js";
import { openInputFile } from "./input-file.js";
import type { ImportOptions } from "./options.js";

/**
 * Reads `inPath` (Arrow IPC file or stream, CSV, JSON lines: by --from or the extension) into a
 * new table in `store`, streaming. Returns the table, flushed and still open (the caller closes
 * it). Library errors about the input become CliErrors naming `inPath`.
 *
 * @example
 * const table = await importFile("data.csv", store, options, ctx, signal);
 */
export async function importFile(
  inPath: string,
  store: Store,
  options: ImportOptions,
  ctx: CliContext,
  signal: AbortSignal,
): Promise<CTable> {
  const format = importFormatOf(inPath, options.from);
  const input = await openInputFile(inPath, ctx, `import ${basename(inPath)}`, signal);
  try {
    if (format === "csv") return await importCsv(input, store, options, signal);
    if (format === "jsonl") return await importJsonl(input, store, options, signal);
    return await readIPC(input.chunks(), {
      store,
      cparams: options.cparams,
      ...(options.chunklen === undefined ? {} : { chunklen: options.chunklen }),
    });
  } catch (e) {
    throwIfInterrupted(signal);
    if (e instanceof CliError) throw e;
    if (isColzError(e)) throw new CliError("ERR_BAD_INPUT", `${e.message} (${e.code})`, { path: inPath, cause: e });
    // apache-arrow reports malformed IPC as plain Errors.
    if (format === "arrow" && e instanceof Error && !(e as NodeJS.ErrnoException).code) {
      throw new CliError("ERR_BAD_INPUT", `not a readable Arrow IPC file or stream: ${e.message}`, {
        path: inPath,
        cause: e,
      });
    }
    throw e;
  } finally {
    input.progress.stop();
    input.stream.destroy();
  }
}
