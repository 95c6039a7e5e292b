import type { ColumnCreateOptions } from "../carray/column-io.js";
import type { ColumnInput, ColumnSchema, ColumnSpec, ColumnValues, CreateOptions, OpenOptions, Row } from "../types.js";
import type { SchemaOverrides } from "./table-input.js";

/** Options of CTable.create. */
export interface CTableCreateOptions extends CreateOptions {
  /** Where the table lives in the store ("" = root, default). */
  prefix?: string;
  /** Table attributes to start with. */
  attrs?: { readonly [key: string]: unknown };
  /** Per-column type overrides for data columns: `{ id: "int32", sym: "|S4", note: { dtype: "utf8", nullable: true } }`. */
  schema?: SchemaOverrides;
  /** Per-column creation options (chunklen, cparams, ...), overriding the table-wide ones. */
  columnOptions?: Readonly<Record<string, ColumnCreateOptions>>;
}

/** Options of CTable.open. */
export interface CTableOpenOptions extends OpenOptions {
  prefix?: string;
  /** Check chunk CRC-32s against their sidecars (default true). */
  verifyChecksums?: boolean;
}

/** Which columns to read and in which shape. */
export interface ReadOptions {
  /** Column names (default: all, in table order). */
  columns?: readonly string[];
}

/** Table data as column values, one entry per requested column. */
export type Columns = Record<string, ColumnValues>;

/** What CTable.create accepts as its columns: data by name, row objects, or a schema. */
export type TableInput =
  | Record<string, ColumnInput>
  | ReadonlyMap<string, ColumnInput>
  | readonly ColumnSchema[]
  | readonly ColumnSpec[]
  | readonly Row[];
