import { commitCArrays } from "@colz/format";
import { fillValues } from "../values/fill.js";
import type { ColumnIO } from "./column-io.js";

/**
 * Resizes committed columns of one store to `n` rows together and commits (used by CArray and
 * CTable): growing appends filler (nulls, or each column's dflt) in chunk-sized batches and
 * commits; shrinking commits the smaller lengths, main carrays before their extensions.
 *
 * @example
 * await resizeColumns([io], 0);
 */
export async function resizeColumns(ios: readonly ColumnIO[], n: number): Promise<void> {
  if (ios.length === 0) return;
  const store = ios[0]!.store;
  const grow = ios.filter((io) => io.length < n);
  for (const io of grow) {
    const batch = Math.max(1, io.main.chunklen);
    for (let at = io.length; at < n; at += batch) {
      await io.append(fillValues(io.type, Math.min(batch, n - at), io.main.meta.dflt));
    }
    await io.flushChunks();
  }
  if (grow.length > 0) {
    await commitCArrays(
      store,
      grow.flatMap((io) => io.commitEntries()),
    );
    for (const io of grow) await io.afterCommit();
  }
  const shrink = ios.filter((io) => io.length > n);
  if (shrink.length > 0) {
    const entries = [];
    for (const io of shrink) entries.push(...(await io.truncateEntries(n)));
    await commitCArrays(store, entries);
    for (const io of shrink) await io.afterTruncate();
  }
}
