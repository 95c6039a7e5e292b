import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerArrowCodecs } from "@colz/ctable/arrow";
import {
  Bool,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  tableFromIPC,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import { afterAll } from "vitest";

/** A fresh temporary directory, removed after the file's tests. */
export function tempDir(prefix = "colz-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Entries of `dir`, sorted (to assert that no temp debris is left). */
export function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The columns of the round-trip table, as plain values (null = null). */
export const COLUMNS = {
  id: [1n, 2n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n, null, 0n],
  small: [1, -2, 3, null, 2147483647, -2147483648, 0],
  x: [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, -0.1, 1e300],
  ok: [true, false, null, true, false, true, false],
  name: ["plain", 'quote " and, comma', "line\nbreak\r\nand crlf", "", null, "ünïcødé ✓ 日本語 🎉", "  spaced  "],
  ts: [
    Date.UTC(2024, 0, 2, 3, 4, 5, 123),
    0,
    null,
    Date.UTC(1969, 11, 31, 23, 59, 59, 999),
    Date.UTC(2100, 5, 1),
    1,
    -1,
  ],
} as const;

/** The round-trip table as an Arrow table with nullable fields of every common type. */
export function arrowTable(): Table {
  const vectors: Record<string, Vector> = {
    id: vectorFromArray(COLUMNS.id as unknown as (bigint | null)[], new Int64()),
    small: vectorFromArray(COLUMNS.small as unknown as (number | null)[], new Int32()),
    x: vectorFromArray(COLUMNS.x as unknown as (number | null)[], new Float64()),
    ok: vectorFromArray(COLUMNS.ok as unknown as (boolean | null)[], new Bool()),
    name: vectorFromArray(COLUMNS.name as unknown as (string | null)[], new Utf8()),
    ts: vectorFromArray(COLUMNS.ts as unknown as (number | null)[], new TimestampMillisecond()),
  };
  return new Table(vectors);
}

/** Writes `table` as an uncompressed Arrow IPC file. */
export function writeArrow(path: string, table: Table, format: "file" | "stream" = "file"): void {
  writeFileSync(path, tableToIPC(table, format));
}

/** Reads an Arrow IPC file or stream (compressed or not). */
export async function readArrow(path: string): Promise<Table> {
  await registerArrowCodecs();
  return tableFromIPC(readFileSync(path));
}

/** A value as a comparable string: bigint/number by value (NaN, ±Infinity, -0 spelt out). */
export function norm(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "bigint") return `n:${v}`;
  if (typeof v === "number") return Object.is(v, -0) ? "n:-0" : `n:${Number.isInteger(v) ? BigInt(v) : v}`;
  if (typeof v === "boolean") return `b:${v}`;
  if (typeof v === "string") return `s:${JSON.stringify(v)}`;
  return `?:${String(v)}`;
}

/** Column `name` of an Arrow table as normalised values. */
export function columnValues(table: Table, name: string): string[] {
  const v = table.getChild(name);
  if (v === null) throw new Error(`no column ${name}`);
  return [...v].map(norm);
}
