import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { type KeyStoreInfo, keyStoreInfo, type TableInfo, tableInfo } from "../info/collect-info.js";
import { plainJson } from "../info/plain-json.js";
import { openReadable } from "../open-path.js";
import { alignRows } from "../output/align.js";
import { writeText } from "../output/sink.js";
import { escapeControls } from "../output/text-width.js";

/**
 * What `info` reports about `path` (see README "JSON output"); metadata only, no chunk decoded.
 *
 * @example
 * const info = await collectInfo("prices.bcolz"); // { kind: "ctable", rows: 7777, columns: [...] }
 */
export async function collectInfo(path: string): Promise<TableInfo | KeyStoreInfo> {
  const r = await openReadable(path);
  if (r.kind === "keystore") {
    try {
      return await keyStoreInfo(r.info, r.store);
    } finally {
      await r.store.close();
    }
  }
  try {
    const attrs = plainJson(r.kind === "ctable" ? r.table.attrs.toJSON() : r.array.attrs.toJSON());
    return tableInfo(r.info, r.table, attrs);
  } finally {
    await r.table.close();
  }
}

function humanTable(info: TableInfo): string {
  const head = alignRows([
    ["path", escapeControls(info.path)],
    ["kind", `${info.kind} (${info.layout}, ${info.flavor})`],
    ["rows", String(info.rows)],
    ["size", `${info.nbytes} bytes, ${info.cbytes} compressed, ratio ${info.ratio}`],
    ["attrs", JSON.stringify(info.attrs)],
  ]);
  const header = [
    "column",
    "dtype",
    "null",
    "cname",
    "clevel",
    "shuffle",
    "chunklen",
    "chunks",
    "nbytes",
    "cbytes",
    "ratio",
  ];
  const rows = info.columns.map((c) => [
    escapeControls(c.name),
    c.atomShape.length === 0 ? c.dtype : `${c.dtype} (${c.atomShape.join("×")})`,
    c.nullable ? "yes" : "no",
    c.cname,
    String(c.clevel),
    c.shuffle,
    String(c.chunklen),
    String(c.chunks),
    String(c.nbytes),
    String(c.cbytes),
    String(c.ratio),
  ]);
  const right = header.map((_, i) => i >= 4 && i !== 5);
  return `${head}\n${alignRows([header, ...rows], right)}`;
}

function humanStore(info: KeyStoreInfo): string {
  const lines: string[][] = [
    ["path", escapeControls(info.path)],
    ["kind", `keystore (${info.storeLayout} layout, fanout ${info.fanout})`],
    ["keys", String(info.keys)],
    ["on disk", `${info.diskBytes} bytes in ${info.files} files`],
  ];
  for (const [i, k] of info.sampleKeys.entries()) lines.push([i === 0 ? "sample" : "", escapeControls(k)]);
  if (info.keys > info.sampleKeys.length) lines.push(["", `… ${info.keys - info.sampleKeys.length} more`]);
  return alignRows(lines);
}

/**
 * Prints `info` for `path`: human-readable, or the stable JSON document with `json`.
 *
 * @example
 * await runInfo(ctx, "prices.bcolz", true);
 */
export async function runInfo(ctx: CliContext, path: string, json: boolean): Promise<void> {
  const info = await collectInfo(path);
  const text = json
    ? `${JSON.stringify(info, null, 2)}\n`
    : info.kind === "keystore"
      ? humanStore(info)
      : humanTable(info);
  await writeText(ctx, text);
}

/**
 * Registers `colz info PATH [--json]`.
 *
 * @example
 * registerInfo(program, ctx);
 */
export function registerInfo(program: Command, ctx: CliContext): void {
  program
    .command("info")
    .description("Describe a ctable, carray or key store: rows, columns, dtypes, compression, sizes, attrs.")
    .argument("<path>", "a bcolz/colz directory, a colz .zip file or a key store directory")
    .option("--json", "print a stable JSON document (see README, JSON output)")
    .addHelpText(
      "after",
      `
Examples:
  $ colz info prices.bcolz
  $ colz info prices.zip --json | jq '.columns[].cname'
  $ colz info /data/quotes          # a key store: key count, size on disk, sample keys`,
    )
    .action(async (path: string, opts: { json?: boolean }) => {
      await runInfo(ctx, path, opts.json === true);
    });
}
