import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands/index.js";
import type { CliContext, CliIO, GlobalOptions } from "./context.js";
import { describeError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitCodeOf } from "./errors.js";
import { VERSION } from "./version.js";

const INTERRUPT_EXIT = 130;

function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/**
 * Runs the `colz` command line with `argv` (without `node` and the script) and resolves to the
 * exit code. Never throws: failures print one line on stderr (a stack trace with --debug).
 *
 * @example
 * process.exitCode = await main(["info", "prices.bcolz", "--json"]);
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const cleanups = new Set<() => void | Promise<void>>();
  let program: Command | undefined;
  const ctx: CliContext = {
    io,
    globals: () => {
      const opts = program?.opts() ?? {};
      return { quiet: opts.quiet === true, debug: opts.debug === true } satisfies GlobalOptions;
    },
    showProgress: () => io.stderr.isTTY === true && !ctx.globals().quiet && io.env.CI !== "true",
    onInterrupt: (cleanup) => {
      cleanups.add(cleanup);
      return () => cleanups.delete(cleanup);
    },
  };

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    // Cleanups remove half-written outputs; the process exits once they ran.
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => {
      io.stderr.write(`colz: interrupted (${signal})\n`);
      process.exit(INTERRUPT_EXIT);
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0 through the same path.
      if (error.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    const debug = argv.includes("--debug");
    io.stderr.write(`colz: ${describeError(error)}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
    return exitCodeOf(error) || EXIT_FAILURE;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The commander program with every command registered; exposed for --help snapshots. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("colz")
    .description("Inspect, convert and verify colz/bcolz containers (carrays, ctables) and key stores.")
    .version(VERSION, "-V, --version", "print the version")
    .option("-q, --quiet", "no progress bars or messages on stderr")
    .option("--debug", "print stack traces for failures")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: (s, write) => write(s.startsWith("error:") ? `colz: ${s.slice(7)}` : s),
    })
    .exitOverride();
  registerCommands(program, ctx);
  // Subcommands inherit output handling and exit behaviour.
  for (const command of program.commands) applyDefaults(command, program);
  return program;
}

function applyDefaults(command: Command, root: Command): void {
  command.exitOverride();
  command.configureOutput(root.configureOutput());
  command.showHelpAfterError("(run with --help for usage)");
  for (const sub of command.commands) applyDefaults(sub, root);
}
