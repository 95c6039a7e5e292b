import type { Command } from "commander";
import type { CliContext } from "../context.js";

/**
 * Adds every command to `program`. One file per command (or command group) in this folder,
 * each exporting `register<Name>(program, ctx)`; the order here is the order in --help.
 */
export function registerCommands(program: Command, ctx: CliContext): void {
  void program;
  void ctx;
}
