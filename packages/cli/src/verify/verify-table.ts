import { CArrayReader, columnPrefix, readAttrs, readRootdirs, type Store } from "@colz/format";
import { fileOf, type Report } from "./problems.js";
import { type OnChunk, verifyCArray } from "./verify-carray.js";

/**
 * Verifies the ctable at `prefix`: `__rootdirs__` and `__attrs__` parse, every listed column is a
 * sound carray (see verifyCArray), and all columns have the same length.
 *
 * @example
 * await verifyTable(store, "", report);
 */
export async function verifyTable(store: Store, prefix: string, report: Report, onChunk?: OnChunk): Promise<void> {
  let names: string[];
  try {
    names = await readRootdirs(store, prefix);
  } catch (e) {
    report.add(`${prefix}__rootdirs__`, fileOf(e, `${prefix}__rootdirs__`).message);
    return;
  }
  try {
    await readAttrs(store, prefix);
  } catch (e) {
    report.add(`${prefix}__attrs__`, fileOf(e, `${prefix}__attrs__`).message);
  }
  const lengths: [string, number][] = [];
  for (const name of names) {
    const length = await verifyCArray(store, columnPrefix(prefix, name), report, onChunk);
    if (length !== undefined) lengths.push([name, length]);
  }
  const distinct = new Set(lengths.map(([, n]) => n));
  if (distinct.size > 1) {
    const min = Math.min(...distinct);
    const short = lengths.filter(([, n]) => n === min).map(([name]) => name);
    report.add(
      `${columnPrefix(prefix, short[0]!)}meta/sizes`,
      `columns have different lengths (${lengths.map(([n, l]) => `${n}: ${l}`).join(", ")}); readers use the shortest`,
    );
  }
}

/**
 * Chunks the progress bar will count for the container at `prefix` (0 when the metadata is
 * unreadable: verify reports that later).
 *
 * @example
 * const total = await countChunks(store, "", "ctable");
 */
export async function countChunks(store: Store, prefix: string, kind: "ctable" | "carray"): Promise<number> {
  const count = (p: string) =>
    CArrayReader.open(store, p, { verifyChecksums: false }).then(
      (r) => r.nchunks,
      () => 0,
    );
  if (kind === "carray") return count(prefix);
  const names = await readRootdirs(store, prefix).catch(() => [] as string[]);
  const counts = await Promise.all(names.map((n) => count(columnPrefix(prefix, n))));
  return counts.reduce((a, b) => a + b, 0);
}
