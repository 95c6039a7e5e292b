import { encodeFixedBytes, encodeUcs4, parseDtype, typedArrayConstructor } from "@colz/format";
import type { ChunkSummary, ColumnSchema, ColumnSource, ColumnValues, ScanStep } from "../../src/types.js";

// Builders of in-memory columns and a fake ColumnSource that counts what it is asked for.

export type Cell = number | bigint | boolean | string | null;

export function schemaOf(name: string, dtype: string, nullable = false): ColumnSchema {
  const kind = dtype === "utf8" || dtype === "binary" ? dtype : "fixed";
  return { name, dtype: kind === "fixed" ? dtype : "int64", kind, nullable, atomShape: [] };
}

function validityOf(cells: readonly Cell[]): Uint8Array | undefined {
  return cells.some((c) => c === null) ? Uint8Array.from(cells, (c) => (c === null ? 0 : 1)) : undefined;
}

/** ColumnValues of `cells` for a schema column (null cells get validity 0 and a zero value). */
export function valuesOf(schema: ColumnSchema, cells: readonly Cell[]): ColumnValues {
  const validity = validityOf(cells);
  const extra = validity === undefined ? {} : { validity };
  if (schema.kind !== "fixed") {
    const enc = new TextEncoder();
    const parts = cells.map((c) => (c === null ? new Uint8Array(0) : enc.encode(String(c))));
    const offsets = new Int32Array(cells.length + 1);
    parts.forEach((p, i) => {
      offsets[i + 1] = offsets[i]! + p.length;
    });
    const data = new Uint8Array(offsets[cells.length]!);
    for (const [i, p] of parts.entries()) data.set(p, offsets[i]!);
    return { kind: schema.kind, length: cells.length, offsets, data, ...extra };
  }
  const dtype = parseDtype(schema.dtype);
  if (dtype.kind === "S") {
    const data = encodeFixedBytes(
      cells.map((c) => (c === null ? new Uint8Array(0) : new TextEncoder().encode(String(c)))),
      dtype.itemsize,
    );
    return { kind: "fixed", dtype, length: cells.length, data, ...extra };
  }
  if (dtype.kind === "U") {
    const data = encodeUcs4(
      cells.map((c) => (c === null ? "" : String(c))),
      dtype.itemsize,
    );
    return { kind: "fixed", dtype, length: cells.length, data, ...extra };
  }
  const Ctor = typedArrayConstructor(dtype);
  const big = Ctor === BigInt64Array || Ctor === BigUint64Array;
  const data = new Ctor(cells.length);
  cells.forEach((c, i) => {
    const v = c === null ? 0 : typeof c === "boolean" ? Number(c) : c;
    (data as unknown as (number | bigint)[])[i] = big ? BigInt(v) : Number(v);
  });
  return { kind: "fixed", dtype, length: cells.length, data, ...extra };
}

export interface FakeTable {
  schema: ColumnSchema[];
  cells: Record<string, Cell[]>;
  chunklen: number;
  /** Statistics per chunk; computed from the cells unless given. */
  stats?: (name: string, chunk: number, start: number, stop: number) => ChunkSummary | undefined;
}

/** Exact min/max/nullCount of a chunk (numbers and bools only, like colz sidecars). */
export function exactStats(schema: ColumnSchema, cells: readonly Cell[]): ChunkSummary | undefined {
  const nullCount = cells.filter((c) => c === null).length;
  if (schema.kind !== "fixed" || /^[|<>]?[SU]/.test(schema.dtype)) return { nullCount };
  let min: number | bigint | undefined;
  let max: number | bigint | undefined;
  for (const c of cells) {
    if (c === null || (typeof c === "number" && Number.isNaN(c))) continue;
    const v = typeof c === "boolean" ? Number(c) : (c as number | bigint);
    if (min === undefined || v < min) min = v;
    if (max === undefined || v > max) max = v;
  }
  return { nullCount, ...(min === undefined ? {} : { min, max }) };
}

export interface CountingSource extends ColumnSource {
  reads: { name: string; start: number; stop: number }[];
  plans: number;
}

/**
 * A ColumnSource over in-memory cells, chunked by `chunklen`, that records every read. Steps
 * clipped to [start, stop) keep their whole chunk's statistics on purpose: a real table may do
 * that too, and where() must stay correct with such wider (but still true) bounds.
 */
export function fakeSource(table: FakeTable): CountingSource {
  const bySchema = new Map(table.schema.map((s) => [s.name, s] as const));
  const length = Object.values(table.cells)[0]?.length ?? 0;
  const source: CountingSource = {
    length,
    schema: table.schema,
    reads: [],
    plans: 0,
    async readColumn(name, start, stop) {
      source.reads.push({ name, start, stop });
      const schema = bySchema.get(name);
      if (schema === undefined) throw new Error(`no column ${name}`);
      return valuesOf(schema, table.cells[name]!.slice(start, stop));
    },
    async scanPlan(columns, start, stop) {
      source.plans++;
      const steps: ScanStep[] = [];
      for (let c = Math.floor(start / table.chunklen); c * table.chunklen < stop; c++) {
        const s = Math.max(start, c * table.chunklen);
        const e = Math.min(stop, (c + 1) * table.chunklen);
        const stats: Record<string, ChunkSummary | undefined> = {};
        for (const name of columns) {
          const cs = c * table.chunklen;
          const ce = Math.min(length, cs + table.chunklen);
          const st = table.stats
            ? table.stats(name, c, cs, ce)
            : exactStats(bySchema.get(name)!, table.cells[name]!.slice(cs, ce));
          Object.defineProperty(stats, name, { value: st, enumerable: true, writable: true });
        }
        steps.push({ start: s, stop: e, stats });
      }
      return steps;
    },
  };
  return source;
}

/** Decodes one column of a Selection back to cells (for comparisons in tests). */
export function cellsOf(cv: ColumnValues): Cell[] {
  const out: Cell[] = [];
  const dec = new TextDecoder();
  for (let i = 0; i < cv.length; i++) {
    if (cv.validity !== undefined && cv.validity[i] === 0) {
      out.push(null);
      continue;
    }
    if (cv.kind !== "fixed") {
      const s = Number(cv.offsets[i]!);
      const e = Number(cv.offsets[i + 1]!);
      out.push(dec.decode(cv.data.subarray(s, e)));
    } else if (cv.dtype.kind === "b") {
      out.push(cv.data[i] !== 0);
    } else {
      out.push(cv.data[i] as number | bigint);
    }
  }
  return out;
}
