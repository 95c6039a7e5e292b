// Writes forever (until killed): set / delete / rename over a few keys, logging every step.
// Usage: node writer-loop.mjs <bundle> <root> <layout> <seed>
// Output lines: "begin <json op>" before an operation, "done" after it returned.
import { pathToFileURL } from "node:url";

const [bundle, root, layout, seedArg] = process.argv.slice(2);
const { KeyStore } = await import(pathToFileURL(bundle).href);
const { makeValue } = await import("./values.mjs");

let seed = Number(seedArg) >>> 0 || 1;
const rand = (n) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const keys = ["a", "B", "c/d", "😀", "L".repeat(400)];
const ks = await KeyStore.open(root, { mode: "a", layout, waitMs: 10_000 });
console.log("opened");
for (let g = Number(seedArg) * 100_000; ; g++) {
  const r = rand(10);
  const key = keys[rand(keys.length)];
  let op;
  if (r < 7) op = { op: "set", key, g };
  else if (r < 8) op = { op: "delete", key };
  else op = { op: "rename", from: key, to: keys[rand(keys.length)] };
  console.log(`begin ${JSON.stringify(op)}`);
  if (op.op === "set") await ks.set(key, makeValue(g));
  else if (op.op === "delete") await ks.delete(key);
  else {
    try {
      await ks.rename(op.from, op.to);
    } catch (e) {
      if (e.code !== "ERR_NOT_FOUND") throw e;
    }
  }
  console.log("done");
}
