import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openTable } from "@colz/ctable/node";
import { describe, expect, it } from "vitest";
import { entries, tempDir } from "./convert-fixtures.js";
import { CLI, runCli } from "./run-cli.js";

// What a writer killed mid-way (SIGKILL, power loss) leaves beside its output, set up exactly:
// `--force` over a directory renames the old output aside, then the new one into place, so a
// kill between the two leaves `.<name>.colz-tmp-<pid>-<hex>.old` and no output. The next write
// to the same path puts the old output back (or removes it, when the new one did arrive).

const dir = tempDir();

/** The pid of a process that has exited (the kernel hands pids out in order; reuse is far off). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

async function rowsOf(path: string): Promise<number> {
  const t = await openTable(path);
  try {
    return t.length;
  } finally {
    await t.close();
  }
}

/** A table of `rows` rows at `path`, written by the CLI. */
async function table(path: string, rows: number): Promise<void> {
  const csv = `${path}.csv`;
  writeFileSync(csv, `a\n${Array.from({ length: rows }, (_, i) => i).join("\n")}\n`);
  const r = await runCli(["import", csv, path]);
  expect(r.code, r.stderr).toBe(0);
}

describe("an interrupted replace is finished by the next write", () => {
  it("the old output comes back when the kill struck between the two renames", async () => {
    const sub = join(dir, "between");
    mkdirSync(sub);
    const out = join(sub, "t.bcolz");
    const pid = deadPid();
    const aside = join(sub, `.t.bcolz.colz-tmp-${pid}-0123abcd.old`);
    const partial = join(sub, `.t.bcolz.colz-tmp-${pid}-0123abcd`);
    await table(join(sub, "old.bcolz"), 3);
    renameSync(join(sub, "old.bcolz"), aside); // the old output, moved aside
    mkdirSync(partial); // the new output, never renamed into place
    writeFileSync(join(partial, "junk"), "x");
    writeFileSync(`${partial}.lock`, "");
    const csv = join(sub, "new.csv");
    writeFileSync(csv, "a\n1\n2\n3\n4\n5\n");
    // Without --force the restored output is refused as existing: nothing was lost.
    const refused = await runCli(["import", csv, out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`colz: restored ${out}`);
    expect(refused.stderr).toContain(`${out}: already exists`);
    expect(await rowsOf(out)).toBe(3);
    expect(entries(sub).filter((e) => e.includes("colz-tmp"))).toEqual([]);
    const forced = await runCli(["import", csv, out, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await rowsOf(out)).toBe(5);
    expect(entries(sub).filter((e) => e.includes("colz-tmp"))).toEqual([]);
  });

  it("the old output is removed when the new one had arrived; --quiet says nothing", async () => {
    const sub = join(dir, "after");
    mkdirSync(sub);
    const out = join(sub, "t.bcolz");
    await table(out, 2);
    await table(join(sub, "old.bcolz"), 7);
    renameSync(join(sub, "old.bcolz"), join(sub, `.t.bcolz.colz-tmp-${deadPid()}-89abcdef.old`));
    const csv = join(sub, "again.csv");
    writeFileSync(csv, "a\n9\n");
    const r = await runCli(["--quiet", "import", csv, out, "--force"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(await rowsOf(out)).toBe(1);
    expect(entries(sub).filter((e) => e.includes("colz-tmp"))).toEqual([]);
  });

  it("leaves a live writer's temporaries and other outputs' debris alone", async () => {
    const sub = join(dir, "live");
    mkdirSync(sub);
    const out = join(sub, "t.bcolz");
    const live = `.t.bcolz.colz-tmp-${process.pid}-00000000`; // this test process: alive
    const other = `.u.bcolz.colz-tmp-${deadPid()}-00000000`; // another output's
    mkdirSync(join(sub, live));
    mkdirSync(join(sub, other));
    const csv = join(sub, "x.csv");
    writeFileSync(csv, "a\n1\n");
    const r = await runCli(["import", csv, out]);
    expect(r.code, r.stderr).toBe(0);
    expect(entries(sub).filter((e) => e.includes("colz-tmp"))).toEqual([live, other].sort());
  });
});

describe("SIGKILL during import --force over a directory, then the next write", () => {
  const ROWS = 200_000;
  let big: string;

  /** Starts `colz import big --force out`, kills it (SIGKILL) when `when` says, returns its exit. */
  async function killDuring(out: string, work: string, when: "random" | "aside"): Promise<string> {
    const child = spawn(process.execPath, [CLI, "import", big, out, "--force"], {
      stdio: "ignore",
      env: { ...process.env, CI: "" },
    });
    let exited = false;
    const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
    void closed.then(() => (exited = true));
    const deadline = Date.now() + 60_000;
    const delay = Math.floor(Math.random() * 1200);
    const started = Date.now();
    while (!exited && Date.now() < deadline) {
      const names = readdirSync(work);
      // "aside": the moment the old output has been moved aside, the narrowest window there is.
      if (when === "aside" ? names.some((n) => n.endsWith(".old")) : Date.now() - started >= delay) break;
      await new Promise((r) => setTimeout(r, when === "aside" ? 0 : 5));
    }
    const killed = !exited && child.kill("SIGKILL");
    await closed;
    return killed ? "killed" : "finished";
  }

  it("the output is the old table or the new one, and the next write cleans up", async () => {
    big = join(dir, "big.csv");
    writeFileSync(big, `a,b\n${Array.from({ length: ROWS }, (_, i) => `${i},${i * 0.5}`).join("\n")}\n`);
    const tiny = join(dir, "tiny.csv");
    writeFileSync(tiny, "a,b\n1,2\n");
    for (let run = 0; run < 4; run++) {
      const work = join(dir, `kill${run}`);
      mkdirSync(work);
      const out = join(work, "t.bcolz");
      await table(out, 3);
      const how = await killDuring(out, work, run % 2 === 0 ? "random" : "aside");
      // The next write to the same path finishes the interrupted one; the output exists again.
      const next = await runCli(["import", tiny, out]);
      expect(next.code, `${how}: ${next.stderr}`).toBe(1);
      expect(next.stderr).toContain(`${out}: already exists`);
      expect([3, ROWS], how).toContain(await rowsOf(out));
      expect(
        entries(work).filter((e) => e.includes("colz-tmp")),
        how,
      ).toEqual([]);
    }
  }, 120_000);
});
