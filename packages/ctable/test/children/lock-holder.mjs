// Child process of locks.test.ts: opens a table for writing (taking the store's lock) and holds it.
// argv: <bundle> <path> [releaseAfterMs]
// Prints "locked"; then waits to be killed, or closes after releaseAfterMs and prints "released".
const [bundle, path, releaseAfter] = process.argv.slice(2);
const { openTable } = await import(bundle);
try {
  const t = await openTable(path, { mode: "a" });
  process.stdout.write("locked\n");
  if (releaseAfter === undefined) setInterval(() => undefined, 1 << 30);
  else
    setTimeout(async () => {
      await t.close();
      process.stdout.write("released\n");
    }, Number(releaseAfter));
} catch (e) {
  process.stdout.write(`error ${e.code} ${e.message}\n`);
  process.exitCode = 3;
}
