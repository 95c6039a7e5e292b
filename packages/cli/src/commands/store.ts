import { KeyStore } from "@colz/store/node";
import { type Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { addExportOptions, addImportOptions, parseExportOptions, parseImportOptions } from "../convert/options.js";
import { exportStoreKey, importIntoStore } from "../convert/store-convert.js";
import { CliError } from "../errors.js";
import { detectPath } from "../open-path.js";
import { OUTPUT_FORMATS } from "../output/formats.js";
import { isBrokenPipe, TextSink } from "../output/sink.js";
import { parseCatOptions, printRows } from "./cat.js";
import { runInfo } from "./info.js";

/** Checks that `path` is a key store (exit 1 naming it otherwise), so reads never create one. */
async function requireKeyStore(path: string): Promise<void> {
  const info = await detectPath(path);
  if (info.kind !== "keystore") {
    throw new CliError("ERR_NOT_A_CONTAINER", `not a key store (it is a ${info.kind}; try colz info)`, { path });
  }
}

function noSuchKey(store: string, key: string): CliError {
  return new CliError("ERR_NOT_FOUND", `no such key ${JSON.stringify(key)}`, { path: store });
}

/** How `store ls` separates keys. */
type ListStyle = "lines" | "nul" | "json";

async function listKeys(ctx: CliContext, path: string, style: ListStyle): Promise<void> {
  await requireKeyStore(path);
  const ks = await KeyStore.open(path, { mode: "r" });
  const sink = new TextSink(ctx.io.stdout);
  try {
    for await (const key of ks.keys()) {
      await sink.write(style === "nul" ? `${key}\0` : style === "json" ? `${JSON.stringify(key)}\n` : `${key}\n`);
    }
    await sink.close();
  } catch (e) {
    if (!isBrokenPipe(e)) throw e;
  } finally {
    await ks.close();
  }
}

async function removeKey(path: string, key: string): Promise<void> {
  await requireKeyStore(path);
  const ks = await KeyStore.open(path, { mode: "a" });
  try {
    if (!(await ks.delete(key))) throw noSuchKey(path, key);
  } finally {
    await ks.close();
  }
}

async function printKey(ctx: CliContext, path: string, key: string, opts: Record<string, unknown>): Promise<void> {
  const { query, format } = parseCatOptions({
    slice: opts.slice as string | undefined,
    columns: opts.columns as string | undefined,
    where: opts.where as string | undefined,
    format: String(opts.format ?? "table"),
  });
  await requireKeyStore(path);
  const ks = await KeyStore.open(path, { mode: "r" });
  try {
    const table = await ks.get(key);
    if (table === undefined) throw noSuchKey(path, key);
    await printRows(ctx, table, query, format);
  } finally {
    await ks.close();
  }
}

/**
 * Registers `colz store ls|info|get|put|rm`.
 *
 * @example
 * registerStore(program, ctx);
 */
export function registerStore(program: Command, ctx: CliContext): void {
  const store = program
    .command("store")
    .description("Work with a key store: a directory mapping string keys to tables.")
    .addHelpText(
      "after",
      `
Examples:
  $ colz store ls /data/quotes
  $ colz store put /data/quotes AAPL aapl.csv
  $ colz store get /data/quotes AAPL --format csv
  $ colz store get /data/quotes AAPL aapl.arrow
  $ colz store rm /data/quotes AAPL`,
    );

  store
    .command("ls")
    .description("List the keys of a key store, one per line, in storage order (not sorted).")
    .argument("<store>", "key store directory")
    .option("-0, --null", "end each key with a NUL byte instead of a newline (for xargs -0)")
    .option("--json", "print each key as a JSON string on its own line (exact for any key)")
    .addHelpText(
      "after",
      `
Keys are printed exactly as stored. A key may contain newlines or other control
characters; use -0 or --json when such keys are possible.

Examples:
  $ colz store ls /data/quotes | wc -l
  $ colz store ls -0 /data/quotes | xargs -0 -n1 echo
  $ colz store ls --json /data/quotes | jq -r .`,
    )
    .action(async (path: string, opts: { null?: boolean; json?: boolean }) => {
      if (opts.null === true && opts.json === true) throw new CliError("ERR_USAGE", "choose one of -0 and --json");
      await listKeys(ctx, path, opts.null === true ? "nul" : opts.json === true ? "json" : "lines");
    });

  store
    .command("info")
    .description("Describe a key store: layout, number of keys, bytes on disk, a sample of keys.")
    .argument("<store>", "key store directory")
    .option("--json", "print a stable JSON document (see README, JSON output)")
    .addHelpText(
      "after",
      `
Examples:
  $ colz store info /data/quotes
  $ colz store info /data/quotes --json | jq .keys`,
    )
    .action(async (path: string, opts: { json?: boolean }) => {
      await requireKeyStore(path);
      await runInfo(ctx, path, opts.json === true);
    });

  const get = store
    .command("get")
    .description("Print the table under KEY (like cat), or export it to OUT (like export).")
    .argument("<store>", "key store directory")
    .argument("<key>", "the key")
    .argument("[out]", "output file: .arrow, .arrows, .csv, .jsonl (default: print to stdout)")
    .option("--slice <start:stop:step>", "rows to print, Python slice syntax (printing only)")
    .addOption(new Option("--format <format>", "output format when printing").choices(OUTPUT_FORMATS).default("table"));
  addExportOptions(get)
    .addHelpText(
      "after",
      `
Examples:
  $ colz store get /data/quotes AAPL --slice -5:
  $ colz store get /data/quotes AAPL --where "close > 100" --format jsonl
  $ colz store get /data/quotes AAPL aapl.csv --columns ts,close`,
    )
    .action(async (path: string, key: string, out: string | undefined, opts: Record<string, unknown>) => {
      if (out === undefined) {
        await printKey(ctx, path, key, opts);
        return;
      }
      if (opts.slice !== undefined) throw new CliError("ERR_USAGE", "--slice applies only when printing (no OUT)");
      await requireKeyStore(path);
      await exportStoreKey(path, key, out, parseExportOptions(opts), ctx);
    });

  addImportOptions(
    store
      .command("put")
      .description("Import a file (Arrow, CSV, JSON lines) and store it under KEY; creates the store when missing.")
      .argument("<store>", "key store directory (created when missing)")
      .argument("<key>", "the key: any non-empty string")
      .argument("<in>", "input file: .arrow, .arrows, .csv, .jsonl"),
  )
    .addHelpText(
      "after",
      `
Examples:
  $ colz store put /data/quotes AAPL aapl.csv
  $ colz store put /data/quotes AAPL aapl.arrow --force --cname zstd`,
    )
    .action(async (path: string, key: string, input: string, opts: Record<string, unknown>) => {
      await importIntoStore(path, key, input, parseImportOptions(opts), ctx);
    });

  store
    .command("rm")
    .description("Remove KEY from a key store (exit 1 when there is no such key).")
    .argument("<store>", "key store directory")
    .argument("<key>", "the key")
    .addHelpText(
      "after",
      `
Examples:
  $ colz store rm /data/quotes AAPL`,
    )
    .action(async (path: string, key: string) => {
      await removeKey(path, key);
    });
}
