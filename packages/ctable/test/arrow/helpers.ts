import { type Data, type Table, Type, type Vector } from "apache-arrow";
import { expect } from "vitest";
import type { ColumnSchema, ColumnSource, ColumnValues, ScanStep } from "../../src/types.js";

/** Byte equality without vitest's per-element deep comparison (slow on megabytes). */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

type Fixed = Extract<ColumnValues, { kind: "fixed" }>;
type Var = Exclude<ColumnValues, Fixed>;

function concatFixed(parts: Fixed[]): Fixed {
  const first = parts[0]!;
  const Ctor = first.data.constructor as new (n: number) => Fixed["data"];
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const data = new Ctor(total);
  let at = 0;
  for (const p of parts) {
    (data as Uint8Array).set(p.data as Uint8Array, at);
    at += p.data.length;
  }
  const length = parts.reduce((n, p) => n + p.length, 0);
  const anyNull = parts.some((p) => p.validity !== undefined);
  const out: Fixed = { kind: "fixed", dtype: first.dtype, length, data };
  if (anyNull) out.validity = concatValidity(parts);
  return out;
}

function concatValidity(parts: ColumnValues[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const validity = new Uint8Array(length).fill(1);
  let at = 0;
  for (const p of parts) {
    if (p.validity !== undefined) validity.set(p.validity, at);
    at += p.length;
  }
  return validity;
}

function concatVarlen(parts: Var[]): Var {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const total = parts.reduce((n, p) => n + Number(p.offsets[p.length]), 0);
  const offsets = new BigInt64Array(length + 1);
  const data = new Uint8Array(total);
  let row = 0;
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) offsets[row + i + 1] = BigInt(at + Number(p.offsets[i + 1]));
    data.set(p.data.subarray(0, Number(p.offsets[p.length])), at);
    at += Number(p.offsets[p.length]);
    row += p.length;
  }
  const out: Var = { kind: parts[0]!.kind, length, offsets, data };
  if (parts.some((p) => p.validity !== undefined)) out.validity = concatValidity(parts);
  return out;
}

function sliceValues(v: ColumnValues, start: number, stop: number, perRow: number): ColumnValues {
  const validity = v.validity?.slice(start, stop);
  if (v.kind === "fixed") {
    const out: Fixed = {
      kind: "fixed",
      dtype: v.dtype,
      length: stop - start,
      data: v.data.slice(start * perRow, stop * perRow),
    };
    return validity ? { ...out, validity } : out;
  }
  const base = Number(v.offsets[start]);
  const offsets = new BigInt64Array(stop - start + 1);
  for (let i = 0; i <= stop - start; i++) offsets[i] = BigInt(Number(v.offsets[start + i]) - base);
  const out: Var = { kind: v.kind, length: stop - start, offsets, data: v.data.slice(base, Number(v.offsets[stop])) };
  return validity ? { ...out, validity } : out;
}

/**
 * An in-memory stand-in for CTable (append + ColumnSource) that copies like a real table
 * would: appends are concatenated, reads return fresh arrays, int64 offsets as colz stores them.
 */
export class FakeTable implements ColumnSource {
  private readonly parts = new Map<string, ColumnValues[]>();
  private readonly merged = new Map<string, ColumnValues>();
  length = 0;
  constructor(
    readonly schema: readonly ColumnSchema[],
    readonly chunklen = 1000,
  ) {
    for (const c of schema) this.parts.set(c.name, []);
  }

  async append(columns: Record<string, ColumnValues>): Promise<void> {
    let length: number | undefined;
    for (const c of this.schema) {
      const v = columns[c.name];
      if (v === undefined) throw new Error(`missing column ${c.name}`);
      if (v.validity !== undefined && !c.nullable) throw new Error(`nulls in non-nullable ${c.name}`);
      length ??= v.length;
      expect(v.length).toBe(length);
      this.parts.get(c.name)!.push(v);
      this.merged.delete(c.name);
    }
    this.length += length ?? 0;
  }

  private column(name: string): ColumnValues {
    let m = this.merged.get(name);
    if (m === undefined) {
      const parts = this.parts.get(name)!;
      m = parts[0]!.kind === "fixed" ? concatFixed(parts as Fixed[]) : concatVarlen(parts as Var[]);
      this.merged.set(name, m);
    }
    return m;
  }

  async readColumn(name: string, start: number, stop: number): Promise<ColumnValues> {
    const c = this.schema.find((s) => s.name === name)!;
    const v = this.column(name);
    const perRow = v.kind === "fixed" ? v.data.length / Math.max(1, v.length) : 1;
    return sliceValues(v, start, stop, c.kind === "fixed" ? perRow : 1);
  }

  async scanPlan(_columns: readonly string[], start: number, stop: number): Promise<ScanStep[]> {
    const steps: ScanStep[] = [];
    for (let s = start; s < stop; s = (Math.floor(s / this.chunklen) + 1) * this.chunklen) {
      steps.push({ start: s, stop: Math.min(stop, (Math.floor(s / this.chunklen) + 1) * this.chunklen), stats: {} });
    }
    return steps;
  }
}

function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  if (typeof value === "bigint") return `${value}n`;
  if (value !== null && typeof value === "object" && "toArray" in value) {
    return Array.from((value as { toArray(): ArrayLike<unknown> }).toArray(), normalise);
  }
  return value;
}

/** Raw value bytes of each row of a fixed-width vector (undefined for other layouts). */
function rawRows(vector: Vector): string[] | undefined {
  const out: string[] = [];
  for (const d of vector.data as Data[]) {
    const id = d.type.typeId;
    if (id === Type.Bool || id === Type.Dictionary || id === Type.FixedSizeList || d.valueOffsets !== undefined)
      return undefined;
    const values = d.values as ArrayBufferView | undefined;
    if (values === undefined || (id as number) >= 23) return undefined;
    const stride = d.stride * ((values as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT ?? 1);
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    for (let i = 0; i < d.length; i++) out.push(bytes.subarray(i * stride, (i + 1) * stride).toString("hex"));
  }
  return out;
}

/** Expects two Arrow tables to be the same: field names, order, types, nullability, nulls and values. */
export function expectSameTable(actual: Table, expected: Table): void {
  expect(actual.schema.fields.map((f) => f.name)).toEqual(expected.schema.fields.map((f) => f.name));
  expect(actual.numRows).toBe(expected.numRows);
  for (let c = 0; c < expected.numCols; c++) {
    const ef = expected.schema.fields[c]!;
    const af = actual.schema.fields[c]!;
    expect(String(af.type), ef.name).toBe(String(ef.type));
    expect(af.type.typeId, ef.name).toBe(ef.type.typeId);
    expect(af.nullable, ef.name).toBe(ef.nullable);
    expect(Object.fromEntries(af.metadata), ef.name).toEqual(Object.fromEntries(ef.metadata));
    const a = actual.getChildAt(c)!;
    const e = expected.getChildAt(c)!;
    expect(a.nullCount, `${ef.name} null count`).toBe(e.nullCount);
    const ar = rawRows(a);
    const er = rawRows(e);
    for (let i = 0; i < expected.numRows; i++) {
      const valid = e.isValid(i);
      if (a.isValid(i) !== valid) expect.fail(`${ef.name} row ${i}: validity ${a.isValid(i)}, expected ${valid}`);
      if (!valid) continue;
      if (ar !== undefined && er !== undefined) {
        // Raw bytes are exact (and apache-arrow's get() rejects timestamps beyond 2^53).
        if (ar[i] !== er[i]) expect.fail(`${ef.name} row ${i}: bytes ${ar[i]} != ${er[i]}`);
        continue;
      }
      const av = normalise(a.get(i));
      const ev = normalise(e.get(i));
      if (JSON.stringify(av) !== JSON.stringify(ev))
        expect.fail(`${ef.name} row ${i}: ${JSON.stringify(av)} != ${JSON.stringify(ev)}`);
    }
  }
}
