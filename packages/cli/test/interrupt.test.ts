import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openTable } from "@colz/ctable/node";
import { beforeAll, describe, expect, it } from "vitest";
import { readArrow, tempDir } from "./convert-fixtures.js";
import { CLI } from "./run-cli.js";

// A real Ctrl-C: spawn the CLI, wait until its temporary output exists (the work started),
// wait a random moment more, send SIGINT. The output must then be absent with no temp debris
// left (exit 130), or, if the command finished first, complete and valid (exit 0). A signal that
// lands between the rename and the exit still exits 130, with the output already complete.

const dir = tempDir("colz-int-");
const ROWS = 300_000;
const csv = join(dir, "big.csv");

beforeAll(() => {
  const parts = ["id,x,name,ts\n"];
  for (let i = 0; i < ROWS; i++) {
    parts.push(
      `${i},${(i * 0.37) % 1},"name, ${i % 977}",2024-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.000Z\n`,
    );
  }
  writeFileSync(csv, parts.join(""));
});

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  interrupted: boolean;
}

async function interruptWhenStarted(args: string[], workDir: string, extraMs: number): Promise<Outcome> {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, CI: "" },
  });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 60_000;
  while (!done && Date.now() < deadline && !readdirSync(workDir).some((e) => e.includes(".colz-tmp-"))) {
    await new Promise((r) => setTimeout(r, 10));
  }
  let interrupted = false;
  if (!done) {
    await new Promise((r) => setTimeout(r, extraMs));
    interrupted = child.kill("SIGINT");
  }
  const { code, signal } = await exited;
  return { code, signal, stderr, interrupted };
}

describe("Ctrl-C leaves a complete output or none, and no debris", () => {
  const cases = [
    { name: "import to a directory table", out: "t.bcolz" },
    { name: "import to a zip table", out: "t.zip" },
  ];
  let interruptedRuns = 0;

  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const work = join(dir, `work${i}`);
      (await import("node:fs")).mkdirSync(work);
      const out = join(work, c.out);
      const r = await interruptWhenStarted(["import", csv, out], work, Math.floor(Math.random() * 1500));
      if (r.code === 0) {
        const t = await openTable(out);
        expect(t.length).toBe(ROWS);
        await t.close();
        expect(readdirSync(work)).toEqual([c.out]);
      } else {
        expect(r.code, r.stderr).toBe(130);
        expect(r.stderr).toContain("interrupted (SIGINT)");
        const left = readdirSync(work);
        if (left.length === 0) interruptedRuns++;
        else {
          // Interrupted after the rename: the output is the complete table, and nothing else.
          expect(left).toEqual([c.out]);
          const t = await openTable(out);
          expect(t.length).toBe(ROWS);
          await t.close();
        }
      }
    });
  }

  it("export to CSV and Arrow", async () => {
    const work = join(dir, "exports");
    (await import("node:fs")).mkdirSync(work);
    const table = join(dir, "src.zip");
    const { runCli } = await import("./run-cli.js");
    expect((await runCli(["import", csv, table])).code).toBe(0);
    for (const out of ["big.csv", "big.arrow"]) {
      const r = await interruptWhenStarted(
        ["export", table, join(work, out), "--compression", "zstd"],
        work,
        Math.floor(Math.random() * 300),
      );
      if (r.code === 0) {
        if (out.endsWith(".arrow")) expect((await readArrow(join(work, out))).numRows).toBe(ROWS);
        else expect((await import("node:fs")).readFileSync(join(work, out), "utf8").split("\n").length).toBe(ROWS + 2);
        expect(readdirSync(work).filter((e) => e.includes("colz-tmp"))).toEqual([]);
      } else {
        expect(r.code, r.stderr).toBe(130);
        expect(readdirSync(work).filter((e) => e.includes("colz-tmp"))).toEqual([]);
        if (!readdirSync(work).includes(out)) interruptedRuns++;
        else if (out.endsWith(".arrow"))
          expect((await readArrow(join(work, out))).numRows).toBe(ROWS); // after the rename
        else expect((await import("node:fs")).readFileSync(join(work, out), "utf8").split("\n").length).toBe(ROWS + 2);
      }
    }
  });

  it("at least one run was really interrupted mid-way", () => {
    // The delays are far shorter than an import of this file takes, so this holds unless the
    // signal handling is broken (a run that ignores SIGINT finishes with exit 0).
    expect(interruptedRuns).toBeGreaterThanOrEqual(2);
  });
});
