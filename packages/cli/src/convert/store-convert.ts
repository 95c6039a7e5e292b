import { MemoryStore } from "@colz/ctable";
import { isColzError } from "@colz/format";
import { KeyStore } from "@colz/store/node";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { interruptible } from "../interruptible.js";
import { throwIfInterrupted } from "./atomic.js";
import { type ExportResult, exportTable } from "./export-table.js";
import { importFile } from "./import-file.js";
import type { ExportOptions, ImportOptions } from "./options.js";

/** Library errors about the store, restated as CliErrors naming it; others pass through as they are. */
function storeFailure(storePath: string, e: unknown): unknown {
  if (e instanceof CliError || !isColzError(e)) return e;
  const code =
    e.code === "ERR_NOT_FOUND" || e.code === "ERR_NOT_A_CONTAINER"
      ? e.code
      : e.code === "ERR_CORRUPT_CHUNK" || e.code === "ERR_CORRUPT_META"
        ? "ERR_DAMAGED"
        : undefined;
  if (code === undefined) return e; // e.g. ERR_LOCKED or ERR_BAD_KEY: their messages say it already
  return new CliError(code, `${e.message} (${e.code})`, { path: storePath, cause: e });
}

/**
 * `colz store put STORE KEY IN`: imports `inPath` (Arrow, CSV, JSON lines) and stores it under
 * `key` in the key store at `storePath` (created when missing; `options.layout` chooses a new
 * store's layout). The table is built in memory (compressed) and `KeyStore.set` replaces the key
 * atomically, so readers see the old value or the new one. An existing key is refused unless
 * `options.force`. Ctrl-C stops it before the key is written, leaving the store unchanged.
 *
 * @example
 * await importIntoStore("/data/prices", "AAPL", "aapl.csv", parseImportOptions({}), ctx);
 */
export async function importIntoStore(
  storePath: string,
  key: string,
  inPath: string,
  options: ImportOptions,
  ctx: CliContext,
): Promise<{ rows: number }> {
  const job = interruptible(ctx);
  let ks: KeyStore | undefined;
  try {
    ks = await KeyStore.open(storePath, {
      mode: "a",
      ...(options.layout === undefined ? {} : { layout: options.layout }),
    });
    if (!options.force && (await ks.has(key))) {
      throw new CliError("ERR_EXISTS", `key ${JSON.stringify(key)} already exists (pass --force to replace it)`, {
        path: storePath,
      });
    }
    const table = await importFile(inPath, new MemoryStore(), options, ctx, job.signal);
    try {
      throwIfInterrupted(job.signal);
      await ks.set(key, table, {
        cparams: options.cparams,
        ...(options.chunklen === undefined ? {} : { chunklen: options.chunklen }),
      });
      return { rows: table.length };
    } finally {
      await table.close().catch(() => undefined);
    }
  } catch (e) {
    throw storeFailure(storePath, e);
  } finally {
    await ks?.close().catch(() => undefined);
    job.done();
  }
}

/**
 * `colz store get STORE KEY OUT`: exports the table under `key` to `outPath` like `colz export`
 * (format by extension or --to, --columns, --where, atomic, --force). A missing key is
 * ERR_NOT_FOUND naming the store.
 *
 * @example
 * await exportStoreKey("/data/prices", "AAPL", "aapl.arrow", parseExportOptions({}), ctx);
 */
export async function exportStoreKey(
  storePath: string,
  key: string,
  outPath: string,
  options: ExportOptions,
  ctx: CliContext,
): Promise<ExportResult> {
  let ks: KeyStore | undefined;
  try {
    ks = await KeyStore.open(storePath, { mode: "r" });
    const table = await ks.get(key);
    if (table === undefined) throw new CliError("ERR_NOT_FOUND", `no key ${JSON.stringify(key)}`, { path: storePath });
    try {
      return await exportTable(table, outPath, options, ctx);
    } finally {
      await table.close().catch(() => undefined);
    }
  } catch (e) {
    throw storeFailure(storePath, e);
  } finally {
    await ks?.close().catch(() => undefined);
  }
}
