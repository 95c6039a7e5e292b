import cliProgress from "cli-progress";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { detectPath } from "../open-path.js";
import { alignRows } from "../output/align.js";
import { writeText } from "../output/sink.js";
import { escapeControls } from "../output/text-width.js";
import { type VerifyProgress, type VerifyResult, verifyPath } from "../verify/verify-path.js";

/** A cli-progress bar on stderr; created only when `ctx.showProgress()`. */
function progressBar(ctx: CliContext): (VerifyProgress & { stop(): void }) | undefined {
  if (!ctx.showProgress()) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, unit) {
      bar = new cliProgress.SingleBar(
        {
          stream: ctx.io.stderr as NodeJS.WriteStream,
          format: `verifying [{bar}] {value}/{total} ${unit} | {eta_formatted}`,
          clearOnComplete: true,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    tick: () => bar?.increment(),
    stop: () => bar?.stop(),
  };
}

function human(result: VerifyResult): string {
  const what = `${result.checked.carrays} carrays, ${result.checked.chunks} chunks${result.checked.keys === undefined ? "" : `, ${result.checked.keys} keys`}`;
  if (result.ok) return `ok: ${escapeControls(result.path)} (${what} checked)\n`;
  const rows = result.problems.map((p) => [
    `${p.key === undefined ? "" : `[${escapeControls(p.key)}] `}${escapeControls(p.file)}:`,
    escapeControls(p.message),
  ]);
  const n = result.problems.length;
  return `${alignRows(rows)}DAMAGED: ${escapeControls(result.path)}: ${n} problem${n === 1 ? "" : "s"} (${what} checked)\n`;
}

/**
 * Registers `colz verify PATH [--json]`: exit 0 when sound, 1 when damaged.
 *
 * @example
 * registerVerify(program, ctx);
 */
export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command("verify")
    .description(
      "Check a ctable, carray or key store: decode every chunk, check metadata, lengths, colz checksums and statistics. Exit 0 when sound, 1 when damaged.",
    )
    .argument("<path>", "a bcolz/colz directory, a colz .zip file or a key store directory")
    .option("--json", "print a stable JSON report (see README, JSON output)")
    .addHelpText(
      "after",
      `
Every problem is listed (not only the first), each with the file it is about,
relative to PATH (for key stores also the key).

Examples:
  $ colz verify prices.bcolz
  $ colz verify /data/quotes --json | jq '.problems[].file'
  $ colz verify backup.zip && echo sound`,
    )
    .action(async (path: string, opts: { json?: boolean }) => {
      const info = await detectPath(path);
      const bar = progressBar(ctx);
      let result: VerifyResult;
      try {
        result = await verifyPath(info, bar);
      } finally {
        bar?.stop();
      }
      await writeText(ctx, opts.json === true ? `${JSON.stringify(result, null, 2)}\n` : human(result));
      // The report went to stdout; stderr gets the one-line failure and the exit code is 1.
      const n = result.problems.length;
      if (!result.ok) throw new CliError("ERR_DAMAGED", `damaged: ${n} problem${n === 1 ? "" : "s"}`, { path });
    });
}
