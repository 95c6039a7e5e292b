import { isColzError } from "@colz/format";

/** Exit codes: 0 success, 1 failure (damaged input, I/O error), 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type CliErrorCode =
  | "ERR_USAGE"
  | "ERR_NOT_FOUND"
  | "ERR_NOT_A_CONTAINER"
  | "ERR_EXISTS"
  | "ERR_BAD_INPUT"
  | "ERR_DAMAGED"
  | "ERR_INTERRUPTED";

/**
 * An error the CLI reports as one line, `colz: <message>`. `path` names the file or key the
 * problem is about; usage errors exit with 2, everything else with 1.
 *
 * @example
 * throw new CliError("ERR_NOT_FOUND", "no such file or directory", { path: "/data/t.bcolz" });
 */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly path: string | undefined;
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(options.path === undefined ? message : `${options.path}: ${message}`, { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.path = options.path;
    this.exitCode = code === "ERR_USAGE" ? EXIT_USAGE : EXIT_FAILURE;
  }
}

/** A usage error (bad flag value, wrong number of arguments): exit code 2. */
export function usageError(message: string): CliError {
  return new CliError("ERR_USAGE", message);
}

/** The exit code for anything thrown by a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  // A key or expression given on the command line that the library refuses is a usage error.
  if (isColzError(error) && (error.code === "ERR_BAD_KEY" || error.code === "ERR_BAD_EXPRESSION")) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/**
 * The one line printed for `error`: the message, and for library errors their code, so users
 * can search for it. Node system errors (ENOENT...) name their path already.
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (isColzError(error)) return `${error.message} (${error.code})`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
