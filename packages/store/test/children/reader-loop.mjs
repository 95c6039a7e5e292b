// Reads one key in a loop for a while, checking every value is complete and unmixed.
// Usage: node reader-loop.mjs <bundle> <root> <key> <ms>. Prints "reads <n> <distinct generations>" or "bad <why>".
import { pathToFileURL } from "node:url";

const [bundle, root, key, ms] = process.argv.slice(2);
const { KeyStore } = await import(pathToFileURL(bundle).href);
const { checkValue } = await import("./values.mjs");
const ks = await KeyStore.open(root, { mode: "r" });
console.log("reading");
const seen = new Set();
let reads = 0;
const end = Date.now() + Number(ms);
try {
  while (Date.now() < end) {
    const cols = await ks.getColumns(key);
    if (cols !== undefined) seen.add(checkValue(cols));
    // Also the lazy path: get() + readColumn, a snapshot in the zip layout.
    const table = await ks.get(key);
    if (table !== undefined) {
      try {
        const gen = (await table.readColumn("gen", 0, table.length)).data;
        const x = (await table.readColumn("x", 0, table.length)).data;
        seen.add(checkValue({ gen, x }));
      } catch (e) {
        if (!["ERR_NOT_FOUND", "ERR_CORRUPT_CHUNK", "ERR_NOT_A_CONTAINER"].includes(e.code)) throw e;
        // dir layout only: the version was deleted under a long-lived table (documented)
      } finally {
        await table.close();
      }
    }
    reads++;
  }
  console.log(`reads ${reads} ${seen.size}`);
} catch (e) {
  console.log(`bad ${e.code ?? ""} ${e.message}`);
}
await ks.close();
