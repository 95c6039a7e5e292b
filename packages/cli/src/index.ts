export type { CliContext, CliIO, GlobalOptions } from "./context.js";
export { CliError, type CliErrorCode, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./errors.js";
export { main } from "./main.js";
