// Child process of lock.test.ts: opens a store for writing (taking its lock) and holds it.
// argv: <stores bundle> <dir|zip> <path> [releaseAfterMs]
// Prints "locked" once it holds the lock, then either waits to be killed or, after
// releaseAfterMs, closes the store (releasing the lock), prints "released" and exits.
const [bundle, kind, path, releaseAfter] = process.argv.slice(2);
const { DirectoryStore, ZipStore } = await import(bundle);
const open = kind === "zip" ? ZipStore.open.bind(ZipStore) : DirectoryStore.open.bind(DirectoryStore);
try {
  const store = await open(path, { mode: "a" });
  process.stdout.write("locked\n");
  if (releaseAfter === undefined) {
    setInterval(() => undefined, 1 << 30);
  } else {
    setTimeout(async () => {
      await store.close();
      process.stdout.write("released\n");
    }, Number(releaseAfter));
  }
} catch (e) {
  process.stdout.write(`error ${e.code} ${e.message}\n`);
  process.exitCode = 3;
}
