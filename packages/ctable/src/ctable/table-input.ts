import { validateColumnName } from "@colz/format";
import { badArgument } from "../errors.js";
import type { ColumnInput, ColumnSpec, ColumnValues, Row } from "../types.js";
import { type ColumnType, inferType, resolveSpec } from "../values/column-type.js";
import { toColumnValues } from "../values/convert.js";
import { hasNulls } from "../values/input-type.js";

// The shapes a table's data arrives in: {name: column} objects, arrays of row objects, or a
// schema (ColumnSchema/ColumnSpec list). Everything is converted and checked before the store is
// touched, so bad input never leaves a half-created table behind.

/** A column's name and resolved type. */
export interface NamedType {
  name: string;
  type: ColumnType;
}

/** Per-column type overrides: a dtype string ("int32", "utf8") or a partial spec. */
export type SchemaOverrides = Readonly<Record<string, string | Omit<ColumnSpec, "name">>>;

const SPEC_KEYS = new Set(["name", "dtype", "kind", "nullable", "atomShape"]);

/**
 * True when `x` looks like a schema (every entry `{name, dtype|kind, ...}` with only spec keys)
 * rather than rows. An empty array counts as a schema with no columns.
 *
 * @example
 * isSchemaArray([{ name: "id", dtype: "int64" }]); // true
 */
export function isSchemaArray(x: readonly unknown[]): x is readonly ColumnSpec[] {
  return x.every((e) => {
    if (typeof e !== "object" || e === null || Array.isArray(e)) return false;
    const o = e as Record<string, unknown>;
    if (typeof o.name !== "string" || (typeof o.dtype !== "string" && typeof o.kind !== "string")) return false;
    return Object.keys(o).every((k) => SPEC_KEYS.has(k));
  });
}

/**
 * Transposes row objects into columns. With `names`, keys outside them are ERR_BAD_ARGUMENT and
 * missing keys are null; without, the columns are the keys in order of first appearance.
 *
 * @example
 * rowsToColumns([{ a: 1, b: "x" }, { a: 2 }]); // { a: [1, 2], b: ["x", null] }
 */
export function rowsToColumns(
  rows: readonly Row[],
  names?: readonly string[],
  what = "table",
): Record<string, unknown[]> {
  return Object.fromEntries(rowsToEntries(rows, names, what));
}

/**
 * Like rowsToColumns, as [name, values] pairs in column order (a Record would put integer-like
 * names first, JavaScript's object key order).
 *
 * @example
 * rowsToEntries([{ b: 1, a: 2 }], undefined, "t"); // [["b", [1]], ["a", [2]]]
 */
export function rowsToEntries(
  rows: readonly Row[],
  names: readonly string[] | undefined,
  what: string,
): [string, unknown[]][] {
  const order: string[] = names === undefined ? [] : [...names];
  const known = new Set(order);
  rows.forEach((row, i) => {
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw badArgument(`${what}: row ${i} is not an object`);
    for (const k of Object.keys(row)) {
      if (known.has(k)) continue;
      if (names !== undefined) throw badArgument(`${what}: row ${i} has unknown column ${JSON.stringify(k)}`);
      known.add(k);
      order.push(k);
    }
  });
  return order.map((n) => [n, rows.map((r) => (Object.hasOwn(r, n) ? r[n] : null))]);
}

function specFor(override: string | Omit<ColumnSpec, "name">): Omit<ColumnSpec, "name"> {
  return typeof override === "string" ? { dtype: override } : override;
}

/**
 * Column names and types of a table to create, plus its initial data converted to column values
 * of equal length. Names are checked (ERR_BAD_KEY) and must be distinct.
 *
 * @example
 * parseTableInput({ id: [1, 2], sym: ["A", "B"] }, { id: "int32" }, "t");
 */
export function parseTableInput(
  input:
    | Record<string, ColumnInput>
    | ReadonlyMap<string, ColumnInput>
    | readonly ColumnSpec[]
    | readonly Row[]
    | null
    | undefined,
  overrides: SchemaOverrides | undefined,
  what: string,
): { columns: NamedType[]; data: Record<string, ColumnValues> | undefined } {
  if (input === undefined || input === null) return { columns: [], data: undefined };
  if (Array.isArray(input)) {
    if (isSchemaArray(input)) {
      const columns = input.map((s) => {
        validateColumnName(s.name);
        const o = overrides?.[s.name];
        return {
          name: s.name,
          type: resolveSpec({ ...s, ...(o ? specFor(o) : {}) }, `${what} column ${JSON.stringify(s.name)}`),
        };
      });
      checkDistinct(
        columns.map((c) => c.name),
        what,
      );
      return { columns, data: undefined };
    }
    return parseTableInput(
      new Map(rowsToEntries(input as readonly Row[], undefined, what)) as Map<string, ColumnInput>,
      overrides,
      what,
    );
  }
  const entries = input instanceof Map ? [...input.entries()] : Object.entries(input as Record<string, ColumnInput>);
  const columns: NamedType[] = [];
  const data: Record<string, ColumnValues> = {};
  let length: number | undefined;
  let first = "";
  for (const [name, values] of entries) {
    validateColumnName(name);
    const label = `${what} column ${JSON.stringify(name)}`;
    const o = overrides?.[name];
    let type: ColumnType;
    if (o !== undefined) {
      const spec = specFor(o);
      type = resolveSpec({ ...spec, nullable: spec.nullable ?? hasNulls(values) }, label);
    } else {
      type = inferType(values, label);
    }
    const v = toColumnValues(values, type, label);
    if (length === undefined) {
      length = v.length;
      first = name;
    } else if (v.length !== length) {
      throw badArgument(
        `${what}: column ${JSON.stringify(name)} has ${v.length} rows but ${JSON.stringify(first)} has ${length}`,
      );
    }
    columns.push({ name, type });
    data[name] = v;
  }
  return { columns, data };
}

/**
 * ERR_BAD_ARGUMENT naming the first repeated column name.
 *
 * @example
 * checkDistinct(["a", "b", "a"], "t"); // throws
 */
export function checkDistinct(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw badArgument(`${what}: duplicate column name ${JSON.stringify(n)}`);
    seen.add(n);
  }
}

/**
 * The values of one append to a table with columns `names`, in that order: `{name: column}`
 * (every column, equal lengths) or row objects (missing keys are null). Unknown and missing
 * columns and unequal lengths are ERR_BAD_ARGUMENT; nothing is appended unless all convert.
 *
 * @example
 * convertAppend(["id"], () => type, [{ id: 1 }], "t"); // [ColumnValues]
 */
export function convertAppend(
  names: readonly string[],
  typeOf: (name: string) => ColumnType,
  data: Record<string, ColumnInput> | readonly Row[],
  what: string,
): ColumnValues[] {
  const input = Array.isArray(data)
    ? (rowsToColumns(data as readonly Row[], names, what) as Record<string, ColumnInput>)
    : (data as Record<string, ColumnInput>);
  for (const k of Object.keys(input)) typeOf(k); // throws for an unknown column
  const out: ColumnValues[] = [];
  for (const name of names) {
    if (!Object.hasOwn(input, name)) throw badArgument(`append to ${what}: column ${JSON.stringify(name)} is missing`);
    const v = toColumnValues(input[name]!, typeOf(name), `${what} column ${JSON.stringify(name)}`);
    if (out.length > 0 && v.length !== out[0]!.length) {
      throw badArgument(
        `append to ${what}: column ${JSON.stringify(name)} has ${v.length} rows, ${JSON.stringify(names[0])} has ${out[0]!.length}`,
      );
    }
    out.push(v);
  }
  return out;
}
