import { type ArrowTypeDescriptor, arrowTypeOf, ColzError, parseDtype } from "@colz/format";
import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  DateMillisecond,
  DateUnit,
  Dictionary,
  Duration,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  LargeBinary,
  LargeUtf8,
  Precision,
  Timestamp,
  type TimeUnit,
  Type,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from "apache-arrow";
import type { ColumnSchema } from "../types.js";
import { makeViewType, viewKind } from "./arrow-compat.js";

// The Arrow type of every colz column, and the colz column for every Arrow field we accept.
// Arrow -> colz is many-to-one (Utf8, LargeUtf8, Utf8View and Dictionary<Utf8> all become a
// utf8 column), so the exact Arrow field is kept beside the table as an ArrowFieldRecord
// whenever colz's default mapping would not give it back.

type IntId = "Int8" | "Int16" | "Int32" | "Int64" | "Uint8" | "Uint16" | "Uint32" | "Uint64";
type UnitName = "Second" | "Millisecond" | "Microsecond" | "Nanosecond";

/** A JSON description of an Arrow type: what colz persists to restore the type exactly. */
export type ArrowTypeSpec =
  | { typeId: "Bool" | IntId | "Float16" | "Float32" | "Float64" | "DateDay" | "DateMillisecond" }
  | { typeId: "Utf8" | "LargeUtf8" | "Utf8View" | "Binary" | "LargeBinary" | "BinaryView" }
  | { typeId: "FixedSizeBinary"; byteWidth: number }
  | { typeId: `Timestamp${UnitName}`; timezone?: string }
  | { typeId: `Duration${UnitName}` }
  | { typeId: "FixedSizeList"; listSize: number; child: ArrowTypeSpec; childName: string; childNullable: boolean }
  | { typeId: "Dictionary"; value: ArrowTypeSpec; index: IntId; ordered: boolean };

/** Kept per column (table attribute "arrow:fields") when the default mapping is not exact. */
export interface ArrowFieldRecord {
  type: ArrowTypeSpec;
  /** The Arrow field's metadata, restored verbatim. */
  metadata?: Record<string, string>;
}

const UNITS: readonly UnitName[] = ["Second", "Millisecond", "Microsecond", "Nanosecond"];
const NUMPY_UNITS: Record<UnitName, string> = { Second: "s", Millisecond: "ms", Microsecond: "us", Nanosecond: "ns" };
const VARLEN = new Set(["Utf8", "LargeUtf8", "Utf8View", "Binary", "LargeBinary", "BinaryView"]);

function unsupported(type: DataType, where: string): ColzError {
  return new ColzError("ERR_UNSUPPORTED", `Arrow type ${String(type)} of ${where} has no colz column type`);
}

/**
 * The spec of an Arrow type, for the types colz stores; others throw ERR_UNSUPPORTED.
 *
 * @example
 * arrowTypeSpec(new TimestampMicrosecond("UTC")); // { typeId: "TimestampMicrosecond", timezone: "UTC" }
 */
export function arrowTypeSpec(type: DataType, where = "a column"): ArrowTypeSpec {
  const view = viewKind(type);
  if (view !== undefined) return { typeId: view };
  // apache-arrow's type classes carry their parameters as plain fields (bitWidth, unit, ...);
  // reading them through one loose shape keeps this switch free of casts per branch.
  const t = type as unknown as {
    isSigned: boolean;
    bitWidth: number;
    precision: Precision;
    unit: number;
    timezone?: string | null;
    byteWidth: number;
    listSize: number;
    children: Field[];
    dictionary: DataType;
    indices: DataType;
    isOrdered: boolean;
  };
  switch (type.typeId) {
    case Type.Bool:
      return { typeId: "Bool" };
    case Type.Int:
      return { typeId: `${t.isSigned ? "Int" : "Uint"}${t.bitWidth}` as IntId };
    case Type.Float:
      return {
        typeId: t.precision === Precision.HALF ? "Float16" : t.precision === Precision.SINGLE ? "Float32" : "Float64",
      };
    case Type.Utf8:
      return { typeId: "Utf8" };
    case Type.LargeUtf8:
      return { typeId: "LargeUtf8" };
    case Type.Binary:
      return { typeId: "Binary" };
    case Type.LargeBinary:
      return { typeId: "LargeBinary" };
    case Type.FixedSizeBinary:
      return { typeId: "FixedSizeBinary", byteWidth: t.byteWidth };
    case Type.Date:
      return { typeId: t.unit === DateUnit.DAY ? "DateDay" : "DateMillisecond" };
    case Type.Timestamp:
      return t.timezone
        ? { typeId: `Timestamp${UNITS[t.unit]!}`, timezone: t.timezone }
        : { typeId: `Timestamp${UNITS[t.unit]!}` };
    case Type.Duration:
      return { typeId: `Duration${UNITS[t.unit]!}` };
    case Type.FixedSizeList: {
      const child = t.children[0]!;
      return {
        typeId: "FixedSizeList",
        listSize: t.listSize,
        child: arrowTypeSpec(child.type, where),
        childName: child.name,
        childNullable: child.nullable,
      };
    }
    case Type.Dictionary: {
      const value = arrowTypeSpec(t.dictionary, where);
      if (!VARLEN.has(value.typeId))
        throw unsupported(type, `${where} (colz decodes dictionaries of strings or bytes)`);
      const index = arrowTypeSpec(t.indices, where).typeId as IntId;
      return { typeId: "Dictionary", value, index, ordered: Boolean(t.isOrdered) };
    }
    default:
      throw unsupported(type, where);
  }
}

/**
 * The apache-arrow type for a spec. View types fall back to Utf8/Binary on an apache-arrow
 * without them (< 21.2): the values are the same, only the layout differs. `dictionaryId`
 * names a Dictionary (apache-arrow would otherwise draw a process-wide counter, making two
 * exports of one table differ byte for byte).
 *
 * @example
 * String(arrowTypeFromSpec({ typeId: "TimestampMicrosecond", timezone: "UTC" })); // "Timestamp<MICROSECOND, UTC>"
 */
export function arrowTypeFromSpec(spec: ArrowTypeSpec, dictionaryId?: number): DataType {
  switch (spec.typeId) {
    case "Bool":
      return new Bool();
    case "Int8":
      return new Int8();
    case "Int16":
      return new Int16();
    case "Int32":
      return new Int32();
    case "Int64":
      return new Int64();
    case "Uint8":
      return new Uint8();
    case "Uint16":
      return new Uint16();
    case "Uint32":
      return new Uint32();
    case "Uint64":
      return new Uint64();
    case "Float16":
      return new Float16();
    case "Float32":
      return new Float32();
    case "Float64":
      return new Float64();
    case "Utf8":
      return new Utf8();
    case "LargeUtf8":
      return new LargeUtf8();
    case "Binary":
      return new Binary();
    case "LargeBinary":
      return new LargeBinary();
    case "Utf8View":
      return makeViewType(true) ?? new Utf8();
    case "BinaryView":
      return makeViewType(false) ?? new Binary();
    case "FixedSizeBinary":
      return new FixedSizeBinary(spec.byteWidth);
    case "DateDay":
      return new DateDay();
    case "DateMillisecond":
      return new DateMillisecond();
    case "FixedSizeList":
      return new FixedSizeList(
        spec.listSize,
        new Field(spec.childName, arrowTypeFromSpec(spec.child), spec.childNullable),
      );
    case "Dictionary":
      return new Dictionary(
        arrowTypeFromSpec(spec.value),
        arrowTypeFromSpec({ typeId: spec.index }) as Int32,
        dictionaryId ?? null,
        spec.ordered,
      );
    default: {
      const unit = UNITS.findIndex((u) => spec.typeId.endsWith(u)) as TimeUnit;
      if (spec.typeId.startsWith("Timestamp")) return new Timestamp(unit, "timezone" in spec ? spec.timezone : null);
      return new Duration(unit);
    }
  }
}

/** The colz dtype string a fixed-width Arrow spec is stored as (undefined for varlen specs). */
function dtypeOfSpec(spec: ArrowTypeSpec): { dtype: string; atomShape: number[] } | undefined {
  const id = spec.typeId;
  if (id === "Bool") return { dtype: "bool", atomShape: [] };
  if (/^U?[Ii]nt\d+$/.test(id)) return { dtype: id.toLowerCase(), atomShape: [] };
  // colz writes no float16: half floats widen exactly to float32 (the record restores Float16).
  if (id === "Float16" || id === "Float32") return { dtype: "float32", atomShape: [] };
  if (id === "Float64") return { dtype: "float64", atomShape: [] };
  if (spec.typeId === "FixedSizeBinary") return { dtype: `|S${spec.byteWidth}`, atomShape: [] };
  if (id === "DateDay") return { dtype: "datetime64[D]", atomShape: [] };
  if (id === "DateMillisecond") return { dtype: "datetime64[ms]", atomShape: [] };
  for (const u of UNITS) {
    if (id === `Timestamp${u}`) return { dtype: `datetime64[${NUMPY_UNITS[u]}]`, atomShape: [] };
    if (id === `Duration${u}`) return { dtype: `timedelta64[${NUMPY_UNITS[u]}]`, atomShape: [] };
  }
  if (spec.typeId === "FixedSizeList") {
    const child = dtypeOfSpec(spec.child);
    if (child === undefined) return undefined;
    return { dtype: child.dtype, atomShape: [spec.listSize, ...child.atomShape] };
  }
  return undefined;
}

/** The colz column a spec is stored as; `colzDtype` (field metadata "colz:dtype") may refine it. */
export function columnOfSpec(name: string, spec: ArrowTypeSpec, nullable: boolean, colzDtype?: string): ColumnSchema {
  const base = spec.typeId === "Dictionary" ? spec.value : spec;
  if (VARLEN.has(base.typeId)) {
    const kind = base.typeId.startsWith("Utf8") || base.typeId === "LargeUtf8" ? "utf8" : "binary";
    const column: ColumnSchema = { name, dtype: "int64", kind, nullable, atomShape: [] };
    // A Utf8 that colz exported from a fixed <U n> column goes back to that column type.
    if (base === spec && colzDtype !== undefined) return refine(column, spec, colzDtype);
    return column;
  }
  const fixed = dtypeOfSpec(spec);
  if (fixed === undefined) throw new ColzError("ERR_UNSUPPORTED", `no colz column type for Arrow ${spec.typeId}`);
  const column: ColumnSchema = { name, dtype: fixed.dtype, kind: "fixed", nullable, atomShape: fixed.atomShape };
  return colzDtype === undefined ? column : refine(column, spec, colzDtype);
}

// Uses the dtype colz recorded on export when exporting that dtype gives exactly this type.
function refine(column: ColumnSchema, spec: ArrowTypeSpec, colzDtype: string): ColumnSchema {
  try {
    const candidate: ColumnSchema = { ...column, dtype: colzDtype, kind: "fixed" };
    if (sameSpec(defaultArrowField(candidate).type, spec)) return candidate;
  } catch {
    // An unparsable or foreign "colz:dtype" is ignored: the field's own type decides.
  }
  return column;
}

function specOfDescriptor(d: ArrowTypeDescriptor): ArrowTypeSpec {
  if (d.typeId === "FixedSizeList") {
    return {
      typeId: "FixedSizeList",
      listSize: d.listSize,
      child: specOfDescriptor(d.child),
      childName: "item",
      childNullable: true,
    };
  }
  return d as ArrowTypeSpec;
}

/**
 * The Arrow type and field metadata colz gives a column when nothing else was recorded: the
 * format layer's mapping (FORMAT.md §3) for fixed columns, Utf8/Binary for varlen ones.
 * "colz:dtype" is added where the Arrow type alone would not give the dtype back.
 *
 * @example
 * defaultArrowField({ name: "s", dtype: "<U5", kind: "fixed", nullable: false, atomShape: [] });
 * // { type: { typeId: "Utf8" }, metadata: { "colz:dtype": "<U5" } }
 */
export function defaultArrowField(column: ColumnSchema): Required<ArrowFieldRecord> {
  if (column.kind !== "fixed") return { type: { typeId: column.kind === "utf8" ? "Utf8" : "Binary" }, metadata: {} };
  const dtype = parseDtype(column.dtype);
  const mapping = arrowTypeOf(dtype, column.atomShape);
  const lossy = mapping.conversion === "int64-raw" || mapping.conversion === "ucs4-to-utf8" || dtype.byteOrder === ">";
  return { type: specOfDescriptor(mapping.type), metadata: lossy ? { "colz:dtype": dtype.str } : {} };
}

/** Structural equality of two specs (key order and absent-vs-undefined do not matter). */
export function sameSpec(a: ArrowTypeSpec, b: ArrowTypeSpec): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

function metadataObject(map: Map<string, string>): Record<string, string> {
  return Object.fromEntries(map);
}

/**
 * The colz column for an Arrow field, and the record to keep when colz's default mapping of
 * that column would not reproduce the field exactly (type or metadata).
 *
 * @example
 * columnOfArrowField(new Field("t", new DateMillisecond(), true));
 * // { column: { name: "t", dtype: "datetime64[ms]", kind: "fixed", nullable: true, atomShape: [] },
 * //   record: { type: { typeId: "DateMillisecond" } } }
 */
export function columnOfArrowField(field: Field): { column: ColumnSchema; record?: ArrowFieldRecord } {
  const spec = arrowTypeSpec(field.type, `field ${JSON.stringify(field.name)}`);
  const metadata = metadataObject(field.metadata);
  const column = columnOfSpec(field.name, spec, field.nullable, metadata["colz:dtype"]);
  const def = defaultArrowField(column);
  if (sameSpec(def.type, spec) && canonical(def.metadata) === canonical(metadata)) return { column };
  return Object.keys(metadata).length === 0
    ? { column, record: { type: spec } }
    : { column, record: { type: spec, metadata } };
}

/** True when a record can describe this column (it was not written for a different dtype). */
function recordFits(column: ColumnSchema, record: ArrowFieldRecord): boolean {
  try {
    const back = columnOfSpec(column.name, record.type, column.nullable, record.metadata?.["colz:dtype"]);
    return (
      back.kind === column.kind &&
      back.dtype === column.dtype &&
      canonical(back.atomShape) === canonical(column.atomShape)
    );
  } catch {
    return false;
  }
}

/**
 * The Arrow field of a colz column: the recorded field when there is a fitting record,
 * colz's default mapping otherwise. Nullability is the column's. `dictionaryId` is used when
 * the field is dictionary-encoded (unique within a schema).
 *
 * @example
 * arrowFieldOf({ name: "x", dtype: "int32", kind: "fixed", nullable: false, atomShape: [] }).type; // Int32
 */
export function arrowFieldOf(column: ColumnSchema, record?: ArrowFieldRecord, dictionaryId?: number): Field {
  const use = record !== undefined && recordFits(column, record) ? record : defaultArrowField(column);
  const metadata = new Map(Object.entries(use.metadata ?? {}));
  return new Field(column.name, arrowTypeFromSpec(use.type, dictionaryId), column.nullable, metadata);
}
