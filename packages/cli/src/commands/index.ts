import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { registerCat } from "./cat.js";
import { registerDemo } from "./demo.js";
import { registerExport } from "./export.js";
import { registerHead } from "./head.js";
import { registerImport } from "./import.js";
import { registerInfo } from "./info.js";
import { registerStore } from "./store.js";
import { registerVerify } from "./verify.js";

/**
 * Adds every command to `program`. One file per command (or command group) in this folder,
 * each exporting `register<Name>(program, ctx)`; the order here is the order in --help.
 */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerInfo(program, ctx);
  registerHead(program, ctx);
  registerCat(program, ctx);
  registerExport(program, ctx);
  registerImport(program, ctx);
  registerVerify(program, ctx);
  registerStore(program, ctx);
  registerDemo(program, ctx);
}
