/**
 * Crash safety with real processes: a child appends batches of deterministic rows to a table
 * (int64, nullable float64, nullable utf8, bool, |S3 columns; 16-row chunks) and flushes after
 * each, printing "flushed N"; it is SIGKILLed at random moments, again and again on the same
 * directory / zip file. After every kill a reader must see exactly a flushed prefix: at least
 * the last length the child reported, at most one batch more (killed between flush and print),
 * every row intact, and the next writer must carry on from there.
 */
import { describe, expect, inject, it } from "vitest";
import { openTable } from "../src/node.js";
import { batchAfter, rowsFrom } from "./children/rows.mjs";
import { startChild } from "./core/child.js";
import { tempPath } from "./core/harness.js";

const ITERATIONS = 12;

describe.each(["directory", "zip"] as const)("a %s table survives SIGKILL during append + flush", (layout) => {
  it(`${ITERATIONS} kills at random moments`, async () => {
    const bundle = inject("colzCtableBundle");
    const path = tempPath(layout === "zip" ? ".zip" : ".bcolz");
    let reported = 0;
    let visible = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const child = startChild("appender.mjs", [bundle, path]);
      // Some kills land during startup (table creation, column adds), most during appends.
      if (i % 4 !== 1) {
        const ready = await child.waitFor(/^ready /);
        expect(Number(ready.split(" ")[1]), "the writer resumes at the visible length").toBe(visible);
      }
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      child.proc.kill("SIGKILL");
      await child.exited;
      expect(child.stderr()).toBe("");
      for (const line of child.lines) if (line.startsWith("flushed ")) reported = Number(line.slice(8));
      let t: Awaited<ReturnType<typeof openTable>>;
      try {
        t = await openTable(path);
      } catch (e) {
        // Killed before the table's creation committed: nothing may have been reported.
        expect(reported, String(e)).toBe(0);
        continue;
      }
      try {
        const n = t.length;
        expect(n, `visible rows (last reported ${reported})`).toBeGreaterThanOrEqual(reported);
        expect([reported, reported + batchAfter(reported)]).toContain(n);
        if (t.columnNames.length === 5) expect(await t.rows(), "every flushed row intact").toEqual(rowsFrom(0, n));
        else expect(n).toBe(0);
        visible = n;
        reported = n;
      } finally {
        await t.close();
      }
    }
    expect(visible, "some batches were flushed").toBeGreaterThan(0);
  });
});
