/** The process streams a command talks to; tests and embedders can pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  /** No progress bars or informational messages on stderr. */
  quiet: boolean;
  /** Print stack traces for failures. */
  debug: boolean;
}

/** What a command needs from its surroundings. */
export interface CliContext {
  io: CliIO;
  /** Parsed global options; valid once commander has parsed the arguments. */
  globals(): GlobalOptions;
  /** True when progress bars may be drawn: stderr is a terminal and not --quiet. */
  showProgress(): boolean;
  /**
   * Registers cleanup to run when the process is interrupted (SIGINT/SIGTERM) before the
   * command finishes, e.g. removing a half-written output. Returns a function that unregisters it.
   */
  onInterrupt(cleanup: () => void | Promise<void>): () => void;
}
