import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { KeyStore } from "../src/node.js";
import { startChild } from "./child.js";
import { makeValue } from "./children/values.mjs";
import { tempDir } from "./helpers.js";

describe.each(["zip", "dir"] as const)("one writer, many readers, in real processes (%s layout)", (layout) => {
  it("gives a second writer process ERR_LOCKED and lets readers in", async () => {
    const bundle = inject("keyStoreBundle");
    const root = join(tempDir("lock"), "store");
    const holder = startChild("lock-holder.mjs", [bundle, root, layout]);
    try {
      const line = await holder.waitFor(/^locked/);
      const other = startChild("try-open.mjs", [bundle, root, "a"]);
      await other.exited;
      expect(other.lines[0]).toMatch(/^error ERR_LOCKED .*locked by pid \d+/);
      expect(other.lines[0]).toContain(line.split(" ")[1]);
      await expect(KeyStore.open(root, { mode: "a" })).rejects.toMatchObject({ code: "ERR_LOCKED" });
      const reader = startChild("try-open.mjs", [bundle, root, "r"]);
      await reader.exited;
      expect(reader.lines).toEqual(["opened"]);
    } finally {
      holder.proc.kill("SIGKILL");
      await holder.exited;
    }
    // The killed writer's lock is stale: the next writer takes it over at once.
    expect(existsSync(join(root, ".colz-lock"))).toBe(true);
    const ks = await KeyStore.open(root, { mode: "a" });
    await ks.set("k", makeValue(1));
    await ks.close();
    expect(existsSync(join(root, ".colz-lock"))).toBe(false);
  });

  it("readers in other processes see old or new values while the writer replaces them", async () => {
    const bundle = inject("keyStoreBundle");
    const root = join(tempDir("readers"), "store");
    const ks = await KeyStore.open(root, { mode: "a", layout });
    await ks.set("hot", makeValue(0));
    const readers = [0, 1].map(() => startChild("reader-loop.mjs", [bundle, root, "hot", "2500"]));
    await Promise.all(readers.map((r) => r.waitFor(/^reading/)));
    let g = 1;
    const end = Date.now() + 2500;
    while (Date.now() < end) await ks.set("hot", makeValue(g++));
    await ks.close();
    for (const r of readers) {
      await r.exited;
      expect(r.stderr()).toBe("");
      const [word, reads, distinct] = (r.lines.at(-1) ?? "").split(" ");
      expect(word, r.lines.join("\n")).toBe("reads");
      expect(Number(reads)).toBeGreaterThan(3);
      expect(Number(distinct)).toBeGreaterThan(1);
    }
    expect(g).toBeGreaterThan(3);
  });
});
