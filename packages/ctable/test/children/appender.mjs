// Child process of crash.test.ts: appends batches of deterministic rows to a table and flushes
// after each batch, printing "flushed <length>", until it is SIGKILLed.
// argv: <bundle> <path>
// The store skips fsync: SIGKILL loses the process, not the page cache, so fsync changes nothing
// this test can observe, and without it the writer gets through many more flushes between kills.
import { batchAfter, COLUMNS, rowsFrom } from "./rows.mjs";

const [bundle, path] = process.argv.slice(2);
const { openTable } = await import(bundle);
const t = await openTable(path, { mode: "a", sync: false });
for (const [name, spec] of Object.entries(COLUMNS)) {
  if (!t.columnNames.includes(name)) await t.addColumn(name, spec, { chunklen: 16, valuesChunklen: 40 });
}
process.stdout.write(`ready ${t.length}\n`);
for (;;) {
  const n = t.length;
  await t.append(rowsFrom(n, n + batchAfter(n)));
  await t.flush();
  process.stdout.write(`flushed ${t.length}\n`);
}
