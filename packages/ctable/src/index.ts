// @colz/ctable: CArray (one compressed column) and CTable (equal-length columns) on any Store.
// Node-only helpers (paths, directory and zip stores) live in "@colz/ctable/node"; Arrow interop
// in "@colz/ctable/arrow".

export { ColzError, type ColzErrorCode, isColzError, MemoryStore } from "@colz/format";
export { Attrs } from "./attrs.js";
export {
  CArray,
  type CArrayCreateOptions,
  type CArrayOpenOptions,
  type ColumnChunk,
} from "./carray/carray.js";
export type { ColumnCreateOptions, ReadIntoOptions } from "./carray/column-io.js";
export type { ResolvedCParams } from "./carray/cparams.js";
export { normalizeSlice, type SliceSpec } from "./carray/selection.js";
export {
  type Columns,
  CTable,
  type CTableCreateOptions,
  type CTableOpenOptions,
  type ReadOptions,
  type TableInput,
} from "./ctable/ctable.js";
export { isSchemaArray, rowsToColumns, type SchemaOverrides } from "./ctable/table-input.js";
// The where() engine (EXPRESSIONS.md): also usable on any ColumnSource, not only a CTable.
export * from "./expr/index.js";
export type * from "./types.js";
export { daysFromCivil, daysInMonth } from "./values/civil-date.js";
export { type ColumnType, inferType, resolveSpec, schemaOf } from "./values/column-type.js";
export { toColumnValues } from "./values/convert.js";
export { countToDate, msToCount, NAT } from "./values/dates.js";
export { concatValues, emptyValues, gatherValues, sliceValues } from "./values/ops.js";
export { type ToJsOptions, toJsArray, toRows } from "./values/to-js.js";
