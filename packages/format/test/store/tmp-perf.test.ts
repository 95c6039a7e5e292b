import { it } from "vitest";
import { ZipStore } from "../../src/store/zip-store.js";
import { unzip } from "./unzip.js";
it("perf", async () => {
  const file = "/tmp/ztest/perf.zip";
  const s = await ZipStore.open(file, { mode: "w", sync: false });
  const enc = new TextEncoder();
  let t = performance.now();
  for (let i = 0; i < 70000; i++) await s.set(`k/${i}`, enc.encode(String(i)));
  console.log("sets ms", performance.now() - t); t = performance.now();
  await s.commit(); await s.close();
  console.log("commit ms", performance.now() - t); t = performance.now();
  const r = await ZipStore.open(file); await r.list(); await r.close();
  console.log("reopen ms", performance.now() - t); t = performance.now();
  unzip(["-l", file]);
  console.log("unzip ms", performance.now() - t);
});
