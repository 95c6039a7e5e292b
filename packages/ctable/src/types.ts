import type { Cname, Shuffle } from "@colz/blosc-wasm";
import type { ColumnTypedArray, Dtype, PyJsonValue, Store } from "@colz/format";

// The contract between the table layer and its users (CArray, CTable, where(), Arrow interop).
// Implementations live in carray/, ctable/, expr/ and arrow/; this file only names things.

/** Compression parameters of a column, bcolz's `cparams`. */
export interface CParamsInput {
  cname?: Cname;
  clevel?: number;
  shuffle?: Shuffle;
}

/** Open modes, as in bcolz: read-only, append (create if missing), write (replace). */
export type Mode = "r" | "a" | "w";

/** How a column stores its values; `fixed` is every bcolz dtype, the others are colz extensions. */
export type LogicalKind = "fixed" | "utf8" | "binary";

/** One column of a table's schema. */
export interface ColumnSchema {
  name: string;
  /** NumPy dtype string as bcolz writes it ("float64", "int64", "|S4", "<U5", "datetime64[ns]", "bool"). For utf8/binary: "int64" (the stored end offsets). */
  dtype: string;
  kind: LogicalKind;
  /** True when the column has a validity carray (nulls allowed). */
  nullable: boolean;
  /** shape[1:] of the column (empty for 1-D columns). */
  atomShape: readonly number[];
}

/**
 * Values of one column over a row range, in colz's in-memory representation.
 * - fixed: `data` is a typed array of `length * prod(atomShape)` elements (BigInt64Array for
 *   64-bit integers, datetimes and timedeltas; Uint8Array for bool; raw bytes for |S and <U).
 * - utf8 / binary: `offsets` has length + 1 entries (offsets[0] = 0), `data` the bytes.
 * - `validity`, when present, has one byte per row: 1 = valid, 0 = null.
 */
export type ColumnValues =
  | { kind: "fixed"; dtype: Dtype; length: number; data: ColumnTypedArray | Uint8Array; validity?: Uint8Array }
  | {
      kind: "utf8" | "binary";
      length: number;
      offsets: Int32Array | BigInt64Array;
      data: Uint8Array;
      validity?: Uint8Array;
    };

/** Input accepted where a column's values are appended or created. */
export type ColumnInput = ColumnValues | ColumnTypedArray | Uint8Array | readonly JsValue[];

/** Options shared by create calls. */
export interface CreateOptions {
  cparams?: CParamsInput;
  /** Rows per chunk; default from colz's rule (never bcolz's tiny chunks for empty tables). */
  chunklen?: number;
  /** Expected number of rows, used to choose chunklen. */
  expectedlen?: number;
  /** "w" replaces an existing container; "a" (default for create) refuses to overwrite one. */
  mode?: Mode;
  /** Write per-chunk statistics and checksums (default true). */
  chunkStats?: boolean;
  /** Bytes per chunk of the `colz/values/` carray of utf8/binary columns (default 256 KB). */
  valuesChunklen?: number;
  /** Milliseconds to wait for another writer's lock before ERR_LOCKED (default 0). */
  waitMs?: number;
}

/** Options of open calls. */
export interface OpenOptions {
  mode?: Mode;
  /** Milliseconds to wait for another writer's lock before ERR_LOCKED (default 0). */
  waitMs?: number;
}

/** Options of CTable.where(). */
export interface WhereOptions {
  /** Columns to return (default: all). */
  columns?: readonly string[];
  start?: number;
  stop?: number;
  /** Maximum number of matching rows. */
  limit?: number;
}

/** Per-chunk statistics as the table layer sees them (from the colz sidecars). */
export interface ChunkSummary {
  min?: number | bigint;
  max?: number | bigint;
  nullCount?: number;
  /** NaN (floats) or NaT (datetimes) elements among the valid rows; given only when exact for the range. */
  nanCount?: number;
}

/** One step of a scan: a row range aligned to chunks, with the statistics known for it. */
export interface ScanStep {
  start: number;
  stop: number;
  /** Per column: statistics covering exactly this range (undefined when unknown). */
  stats: Record<string, ChunkSummary | undefined>;
}

/**
 * What where() and the Arrow exporter need from a table; CTable implements it. Keeping it this
 * small lets the expression engine and the Arrow layer be tested on any source.
 */
export interface ColumnSource {
  readonly length: number;
  readonly schema: readonly ColumnSchema[];
  /** Values of rows [start, stop) of one column. */
  readColumn(
    name: string,
    start: number,
    stop: number,
    options?: { out?: ArrayBufferView | ArrayBuffer },
  ): Promise<ColumnValues>;
  /**
   * Ranges covering [start, stop) in order, aligned to the chunks of `columns` where possible
   * (so each range decompresses whole chunks once), each with the statistics known for it.
   */
  scanPlan(columns: readonly string[], start: number, stop: number): Promise<ScanStep[]>;
}

/** Rows selected by where(): their indices and the requested columns' values. */
export interface Selection {
  length: number;
  /** Row numbers of the selected rows, ascending. */
  indices: Float64Array;
  columns: Record<string, ColumnValues>;
}

/** One value of a row as plain JavaScript (see `toJsArray`). N-D columns give each row as a typed array. */
export type JsValue = number | bigint | boolean | string | Uint8Array | ColumnTypedArray | Date | null;

/** One row of a table: column name → value. */
export type Row = Record<string, JsValue>;

/**
 * A column description where everything but the name may be left out. `dtype` may also be the
 * shorthand "utf8", "binary" or "string" (= utf8) for variable-length columns. Every ColumnSchema is one.
 */
export interface ColumnSpec {
  name: string;
  dtype?: string;
  kind?: LogicalKind;
  nullable?: boolean;
  atomShape?: readonly number[];
}

export type { PyJsonValue, Store };
