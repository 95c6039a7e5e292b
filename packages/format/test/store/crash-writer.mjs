// Child process of crash.test.ts: writes generations to a store until it is SIGKILLed.
// argv: <stores bundle> <dir|zip> <path>
// Per generation: the data keys, an overwrite of "data/shared", commit(), the commit-point key
// "meta/commit", commit(), then prints "committed <gen>", then deletes the previous
// generation's data keys (committed with the next generation).
import { dataKeys, generationOf, valueFor } from "./crash-values.mjs";

const [bundle, kind, path] = process.argv.slice(2);
const { DirectoryStore, ZipStore } = await import(bundle);
const open = kind === "zip" ? ZipStore.open.bind(ZipStore) : DirectoryStore.open.bind(DirectoryStore);
const store = await open(path, { mode: "a" });
const point = await store.get("meta/commit");
let gen = point === undefined ? 0 : generationOf(point);
process.stdout.write(`ready ${gen}\n`);
for (;;) {
  gen++;
  for (const key of dataKeys(gen)) await store.set(key, valueFor(gen, key));
  await store.set("data/shared", valueFor(gen, "data/shared"));
  await store.commit();
  await store.set("meta/commit", valueFor(gen, "meta/commit"));
  await store.commit();
  process.stdout.write(`committed ${gen}\n`);
  for (const key of dataKeys(gen - 1)) await store.delete(key);
}
