import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../src/index.js";
import { runCli } from "./run-cli.js";

// Every command's --help, snapshotted at commander's default width (80 columns when stdout is not
// a terminal); a changed flag or description shows up in review as a snapshot diff.
// `main` runs in-process: fourteen child processes would cost seconds for no extra coverage.
const COMMANDS = [
  [],
  ["info"],
  ["head"],
  ["cat"],
  ["export"],
  ["import"],
  ["verify"],
  ["store"],
  ["store", "ls"],
  ["store", "info"],
  ["store", "get"],
  ["store", "put"],
  ["store", "rm"],
  ["demo"],
];

async function help(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (b: Buffer) => out.push(b));
  stderr.on("data", (b: Buffer) => err.push(b));
  const code = await main([...args, "--help"], { stdout, stderr, stdin: new PassThrough(), env: { COLUMNS: "80" } });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe("colz --help", () => {
  it("prints help with examples for every command", async () => {
    for (const command of COMMANDS) {
      const name = ["colz", ...command].join(" ");
      const r = await help(command);
      expect(r.code, name).toBe(0);
      expect(r.stderr, name).toBe("");
      if (command.length > 0) expect(r.stdout, name).toContain("Examples:");
      expect(r.stdout).toMatchSnapshot(name);
    }
  });

  it("the installed launcher prints the same help", async () => {
    const r = await runCli(["cat", "--help"], { env: { COLUMNS: "80" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await help(["cat"])).stdout);
  });
});
