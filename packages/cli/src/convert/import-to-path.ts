import { openStore } from "@colz/ctable/node";
import type { CliContext } from "../context.js";
import { writeAtomically } from "./atomic.js";
import { importFile } from "./import-file.js";
import type { ImportOptions } from "./options.js";

/** What an import wrote. */
export interface ImportResult {
  rows: number;
  columns: number;
  layout: "dir" | "zip";
}

/** The layout of a new table at `path`: --layout, else zip when the path ends in .zip. */
export function layoutFor(path: string, layout: ImportOptions["layout"]): "dir" | "zip" {
  return layout ?? (path.toLowerCase().endsWith(".zip") ? "zip" : "dir");
}

/**
 * Imports `inPath` into a new ctable at `outPath` (a bcolz directory, or one ZIP file with
 * layout zip). Atomic: the table is built under a temporary name beside `outPath` and renamed
 * into place when complete; failure or Ctrl-C removes it. An existing `outPath` is refused
 * unless `options.force`.
 *
 * @example
 * await importToPath("trades.csv", "trades.zip", parseImportOptions({}), ctx);
 */
export async function importToPath(
  inPath: string,
  outPath: string,
  options: ImportOptions,
  ctx: CliContext,
): Promise<ImportResult> {
  const layout = layoutFor(outPath, options.layout);
  return writeAtomically(ctx, outPath, { force: options.force }, async ({ tmpPath, signal }) => {
    const store = await openStore(tmpPath, "a", { layout: layout === "zip" ? "zip" : "directory" });
    try {
      const table = await importFile(inPath, store, options, ctx, signal);
      const result = { rows: table.length, columns: table.columnNames.length, layout };
      await table.close();
      return result;
    } finally {
      await store.close().catch(() => undefined);
    }
  });
}
