import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { KeyStore } from "../src/node.js";
import { startChild } from "./child.js";
import { checkValue } from "./children/values.mjs";
import { tempDir } from "./helpers.js";

// A child process runs set/delete/rename in a loop (fsync on) and is SIGKILLed at a random
// moment. Reopening must always work (stale lock taken over, WAL recovered) and every key must
// hold the state before the interrupted operation or after it: complete values only, and a
// rename moves both keys together or neither.

const KEYS = ["a", "B", "c/d", "😀", "L".repeat(400)];
const KILLS = 7;

type State = Map<string, number>;
interface Op {
  op: "set" | "delete" | "rename";
  key?: string;
  g?: number;
  from?: string;
  to?: string;
}

function apply(state: State, op: Op): State {
  const next = new Map(state);
  if (op.op === "set") next.set(op.key as string, op.g as number);
  else if (op.op === "delete") next.delete(op.key as string);
  else if (op.from !== op.to && next.has(op.from as string)) {
    next.set(op.to as string, next.get(op.from as string) as number);
    next.delete(op.from as string);
  }
  return next;
}

async function observe(ks: KeyStore): Promise<State> {
  const state: State = new Map();
  for (const key of KEYS) {
    const cols = await ks.getColumns(key);
    if (cols !== undefined) state.set(key, checkValue(cols));
  }
  const listed: string[] = [];
  for await (const k of ks.keys()) listed.push(k);
  expect(listed.sort()).toEqual([...state.keys()].sort());
  return state;
}

const same = (a: State, b: State) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** What a writer open must have cleaned up: temp files, and (dir layout) versions no pointer names. */
function expectNoDebris(root: string, layout: "zip" | "dir"): void {
  const temp = join(root, ".colz-tmp");
  expect(existsSync(temp) ? readdirSync(temp) : []).toEqual([]);
  const buckets = readdirSync(root).filter((n) => /^[0-9a-f]{2}$/.test(n));
  const names = buckets.flatMap((b) => readdirSync(join(root, b)).map((n) => `${b}/${n}`));
  if (layout === "dir") {
    const versions = names.filter((n) => /\.v[0-9a-z]+$/.test(n)).sort();
    const pointed = names
      .filter((n) => n.endsWith(".ptr"))
      .map((n) => readFileSync(join(root, n), "utf8").trim())
      .sort();
    expect(versions).toEqual(pointed);
  }
  for (const n of names) expect(n).toMatch(/\.(zip|ptr|key|v[0-9a-z]+)$/);
}

describe.each(["zip", "dir"] as const)("crash safety (%s layout)", (layout) => {
  it("survives SIGKILL at random moments", async () => {
    const bundle = inject("keyStoreBundle");
    const root = join(tempDir("crash"), "store");
    let state: State = new Map();
    let totalOps = 0;
    for (let round = 0; round < KILLS; round++) {
      const child = startChild("writer-loop.mjs", [bundle, root, layout, String(round + 1)]);
      await child.waitFor(/^opened/);
      await new Promise((r) => setTimeout(r, 80 + Math.random() * 500));
      child.proc.kill("SIGKILL");
      await child.exited;
      expect(child.stderr()).toBe("");

      let pending: Op | undefined;
      for (const line of child.lines) {
        if (line.startsWith("begin ")) pending = JSON.parse(line.slice(6)) as Op;
        else if (line === "done" && pending !== undefined) {
          state = apply(state, pending);
          pending = undefined;
          totalOps++;
        }
      }
      const ks = await KeyStore.open(root, { mode: "a", waitMs: 10_000 });
      const seen = await observe(ks);
      await ks.close();
      const allowed = pending === undefined ? [state] : [state, apply(state, pending)];
      expect(
        allowed.some((s) => same(s, seen)),
        `round ${round}: ${JSON.stringify([...seen])} after ${JSON.stringify(pending)}`,
      ).toBe(true);
      state = seen;
      expectNoDebris(root, layout);
    }
    expect(totalOps).toBeGreaterThan(KILLS);
  });
});
