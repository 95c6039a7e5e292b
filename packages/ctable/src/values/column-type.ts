import { type Dtype, parseDtype, writableDtype } from "@colz/format";
import { badArgument } from "../errors.js";
import type { ColumnInput, ColumnSchema, ColumnSpec, ColumnValues, JsValue, LogicalKind } from "../types.js";

/** A column's type, resolved: what the conversion, read and write code works with. */
export interface ColumnType {
  kind: LogicalKind;
  /** The stored dtype: the values' dtype for fixed columns, int64 (end offsets) for utf8/binary. */
  dtype: Dtype;
  nullable: boolean;
  /** shape[1:] (empty for 1-D columns). */
  atomShape: readonly number[];
  /** Elements per row: prod(atomShape). */
  atomItems: number;
}

const INT64 = parseDtype("int64");

/**
 * The ColumnType of a spec such as `{dtype: "float32"}`, `{dtype: "utf8", nullable: true}` or a
 * full ColumnSchema. `forWriting` rejects dtypes colz only reads (float16). ERR_BAD_ARGUMENT /
 * ERR_UNSUPPORTED_DTYPE name `what` (the column).
 *
 * @example
 * resolveSpec({ dtype: "<U5" }, 'column "sym"').dtype.itemsize; // 20
 */
export function resolveSpec(spec: Omit<ColumnSpec, "name">, what: string, forWriting = true): ColumnType {
  let kind = spec.kind;
  let dtypeStr = spec.dtype;
  if (dtypeStr === "utf8" || dtypeStr === "string" || dtypeStr === "binary") {
    const k: LogicalKind = dtypeStr === "binary" ? "binary" : "utf8";
    if (kind !== undefined && kind !== k) throw badArgument(`${what}: dtype "${dtypeStr}" contradicts kind "${kind}"`);
    kind = k;
    dtypeStr = undefined;
  }
  kind ??= "fixed";
  const nullable = spec.nullable ?? false;
  const atomShape = [...(spec.atomShape ?? [])];
  for (const d of atomShape) {
    if (!Number.isSafeInteger(d) || d < 1) throw badArgument(`${what}: atomShape entries must be positive integers`);
  }
  const atomItems = atomShape.reduce((a, b) => a * b, 1);
  if (kind === "utf8" || kind === "binary") {
    if (dtypeStr !== undefined && parseDtype(dtypeStr).str !== "int64") {
      throw badArgument(`${what}: a ${kind} column stores int64 offsets, not ${dtypeStr}`);
    }
    if (atomShape.length > 0) throw badArgument(`${what}: ${kind} columns are 1-D`);
    return { kind, dtype: INT64, nullable, atomShape, atomItems: 1 };
  }
  if (kind !== "fixed") throw badArgument(`${what}: unknown column kind ${JSON.stringify(kind)}`);
  if (dtypeStr === undefined) throw badArgument(`${what}: a dtype is required ("float64", "int32", "|S4", ...)`);
  const dtype = forWriting ? writableDtype(dtypeStr, what) : parseDtype(dtypeStr, what);
  return { kind, dtype, nullable, atomShape, atomItems };
}

/**
 * The ColumnSchema describing a column of type `type` named `name`.
 *
 * @example
 * schemaOf("price", resolveSpec({ dtype: "float64" }, "price")); // { name: "price", dtype: "float64", kind: "fixed", ... }
 */
export function schemaOf(name: string, type: ColumnType): ColumnSchema {
  return { name, dtype: type.dtype.str, kind: type.kind, nullable: type.nullable, atomShape: [...type.atomShape] };
}

/**
 * Any other iterable (a generator, a Set) as an array; everything else unchanged. Strings are
 * values, never iterated.
 *
 * @example
 * materialize(new Set([1, 2])); // [1, 2]
 */
export function materialize(input: ColumnInput | Iterable<JsValue>): ColumnInput {
  if (
    typeof input === "object" &&
    input !== null &&
    !Array.isArray(input) &&
    !ArrayBuffer.isView(input) &&
    !isColumnValues(input) &&
    Symbol.iterator in input
  ) {
    return Array.from(input as Iterable<JsValue>);
  }
  return input as ColumnInput;
}

/**
 * True when `x` is a ColumnValues object (rather than a typed array or a JS array).
 *
 * @example
 * isColumnValues({ kind: "fixed", dtype, length: 1, data }); // true
 */
export function isColumnValues(x: unknown): x is ColumnValues {
  return (
    typeof x === "object" &&
    x !== null &&
    !ArrayBuffer.isView(x) &&
    !Array.isArray(x) &&
    "kind" in x &&
    "length" in x &&
    "data" in x
  );
}

const TYPED_DTYPES: [abstract new (...args: never[]) => unknown, string][] = [
  [Float64Array, "float64"],
  [Float32Array, "float32"],
  [Int8Array, "int8"],
  [Int16Array, "int16"],
  [Int32Array, "int32"],
  [BigInt64Array, "int64"],
  [Uint8Array, "uint8"],
  [Uint8ClampedArray, "uint8"],
  [Uint16Array, "uint16"],
  [Uint32Array, "uint32"],
  [BigUint64Array, "uint64"],
];

/**
 * The dtype a typed array maps to (Uint8Array → uint8, never bool), or undefined.
 *
 * @example
 * typedArrayDtype(new Float32Array(2)); // "float32"
 */
export function typedArrayDtype(a: ArrayBufferView): string | undefined {
  for (const [ctor, name] of TYPED_DTYPES) if (a instanceof ctor) return name;
  return undefined;
}

/**
 * Infers a column type from data, the way NumPy infers a dtype from a list, with JavaScript's
 * types: typed arrays keep their element type; in JS arrays numbers → float64, bigints → int64,
 * booleans → bool, strings → utf8, Uint8Arrays → binary, Dates → datetime64[ms]; any null makes
 * the column nullable. Mixed or all-null arrays are ERR_BAD_ARGUMENT (give a schema).
 *
 * @example
 * inferType([1.5, null], 'column "x"'); // float64, nullable
 */
export function inferType(raw: ColumnInput | Iterable<JsValue>, what: string): ColumnType {
  const input = materialize(raw);
  if (isColumnValues(input)) {
    if (input.kind !== "fixed") return resolveSpec({ kind: input.kind, nullable: input.validity !== undefined }, what);
    const per = input.dtype.kind === "S" || input.dtype.kind === "U" ? input.dtype.itemsize : 1;
    const items = input.length === 0 ? 1 : input.data.length / per / input.length;
    if (!Number.isSafeInteger(items) || items < 1) {
      throw badArgument(`${what}: ${input.data.length} data elements do not make ${input.length} rows`);
    }
    return resolveSpec(
      { dtype: input.dtype.str, nullable: input.validity !== undefined, atomShape: items === 1 ? [] : [items] },
      what,
    );
  }
  if (ArrayBuffer.isView(input)) {
    const dtype = typedArrayDtype(input);
    if (dtype === undefined) throw badArgument(`${what}: unsupported typed array ${input.constructor.name}`);
    return resolveSpec({ dtype }, what);
  }
  if (!Array.isArray(input)) throw badArgument(`${what}: expected an array, a typed array or ColumnValues`);
  let found: string | undefined;
  let nullable = false;
  let width = 0;
  for (let i = 0; i < input.length; i++) {
    const v = input[i];
    if (v === null || v === undefined) {
      nullable = true;
      continue;
    }
    const t = jsTypeOf(v);
    if (found === undefined) found = t;
    else if (found !== t) throw badArgument(`${what}: row ${i} is a ${t} but earlier rows are ${found}s; give a dtype`);
    if (ArrayBuffer.isView(v) && t !== "bytes") {
      const n = (v as unknown as ArrayLike<unknown>).length;
      if (width !== 0 && n !== width) throw badArgument(`${what}: row ${i} has ${n} values, earlier rows ${width}`);
      width = n;
    }
  }
  if (found !== undefined && width > 0) {
    // Rows given as typed arrays of one length: an N-D column (bcolz's multi-dimensional carray).
    const dtype = typedArrayDtype(input.find((v) => v !== null && v !== undefined) as ArrayBufferView)!;
    return resolveSpec({ dtype, nullable, atomShape: [width] }, what);
  }
  if (found === undefined) {
    throw badArgument(
      `${what}: cannot infer a dtype from ${input.length === 0 ? "no values" : "only nulls"}; give a schema`,
    );
  }
  const dtype = {
    number: "float64",
    bigint: "int64",
    boolean: "bool",
    string: "utf8",
    bytes: "binary",
    Date: "datetime64[ms]",
  }[found];
  if (dtype === undefined) throw badArgument(`${what}: values of type ${found} cannot be stored`);
  return resolveSpec({ dtype, nullable }, what);
}

function jsTypeOf(v: unknown): string {
  if (v instanceof Uint8Array) return "bytes";
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (v instanceof Date) return "Date";
  return typeof v;
}
