import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { prepareDemoDir, removeDemoDir, runDemo, saveSummary } from "../demo/run-demo.js";
import { formatSummary } from "../demo/summary.js";
import { DEMO_WORKLOAD } from "../demo/workload.js";
import { CliError } from "../errors.js";
import { interruptible } from "../interruptible.js";
import { writeText } from "../output/sink.js";

const EXAMPLES = `
Examples:
  $ colz demo                 # in a fresh temporary directory, removed at the end
  $ colz demo /tmp/colz-demo  # keeps the key store, raw files and export in that (new or empty) directory
  $ colz info /tmp/colz-demo/keystore && colz store get /tmp/colz-demo/keystore key-000001 k1.csv

The workload is bcolz's key-store experiment, small: 50 keys, each two columns of one random
length in [0, 100000) (int64 in [0, 1000), float64 in [0, 1)), stored in a colz key store
(zip layout, lz4 + shuffle) and as raw uncompressed files; 20 random keys are read in full from
both (timed); one key is exported to Arrow; info and verify run on the store.
`;

/**
 * `colz demo [DIR]`: runs the demo workload and prints the summary; DIR is kept, a temporary
 * directory is removed (also on Ctrl-C).
 */
export async function demoCommand(dirArg: string | undefined, ctx: CliContext): Promise<void> {
  const dir = dirArg === undefined ? await mkdtemp(join(tmpdir(), "colz-demo-")) : resolve(dirArg);
  if (dirArg !== undefined) await prepareDemoDir(dir);
  const job = interruptible(ctx, async () => {
    if (dirArg === undefined) await removeDemoDir(dir);
  });
  try {
    if (!ctx.globals().quiet) ctx.io.stderr.write(`colz demo: working in ${dir}\n`);
    const result = await runDemo(dir, DEMO_WORKLOAD, ctx, job.signal);
    const text = formatSummary(result, dirArg !== undefined);
    if (dirArg !== undefined) await saveSummary(dir, text);
    await writeText(ctx, text);
    if (!result.verify.ok || !result.query.sameData) {
      throw new CliError("ERR_DAMAGED", "the demo's checks failed (see the summary)", { path: dir });
    }
  } finally {
    if (dirArg === undefined) await removeDemoDir(dir).catch(() => undefined);
    job.done();
  }
}

/** Registers `colz demo [DIR]`. */
export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command("demo")
    .description(
      "Build a small key store, query it against raw files, export a key, run info and verify; print a summary.",
    )
    .argument("[dir]", "where to keep the data (a new or empty directory); default: a temporary directory, removed")
    .addHelpText("after", EXAMPLES)
    .action(async (dir: string | undefined) => {
      await demoCommand(dir, ctx);
    });
}
