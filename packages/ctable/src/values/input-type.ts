import { badArgument } from "../errors.js";
import type { ColumnInput, ColumnSpec, JsValue } from "../types.js";
import { type ColumnType, inferType, isColumnValues, materialize, resolveSpec } from "./column-type.js";

/**
 * The column type and data of a create call: `input` is data (typed array, JS array, iterable,
 * ColumnValues) or a type spec; `options` may name the dtype/kind/nullable/atomShape. Without a
 * dtype the type is inferred from the data; with one, nulls in the data still make it nullable
 * unless `nullable: false` is given.
 *
 * @example
 * resolveInputType([1, null], { dtype: "int32" }, "x"); // int32, nullable
 */
export function resolveInputType(
  raw: ColumnInput | Iterable<JsValue> | Omit<ColumnSpec, "name"> | null | undefined,
  options: Omit<ColumnSpec, "name">,
  what: string,
): { type: ColumnType; data: ColumnInput | undefined } {
  const input = raw === undefined || raw === null || isSpec(raw) ? raw : materialize(raw as Iterable<JsValue>);
  const explicit = options.dtype !== undefined || options.kind !== undefined;
  const specOf = (s: Omit<ColumnSpec, "name">) =>
    resolveSpec(
      {
        dtype: options.dtype ?? s.dtype,
        kind: options.kind ?? s.kind,
        nullable: s.nullable ?? options.nullable,
        atomShape: options.atomShape ?? s.atomShape,
      },
      what,
    );
  if (input === undefined || input === null) {
    if (!explicit) throw badArgument(`${what}: give data or a dtype ({ dtype: "float64" })`);
    return { type: specOf({}), data: undefined };
  }
  if (isSpec(input)) return { type: specOf(input), data: undefined };
  if (explicit) {
    // With an explicit dtype, nulls in the data still make the column nullable unless told otherwise.
    const nullable = options.nullable ?? hasNulls(input);
    return { type: specOf({ nullable }), data: input };
  }
  const inferred = inferType(input, what);
  const type = resolveSpec(
    {
      ...(inferred.kind === "fixed" ? { dtype: inferred.dtype.str } : { kind: inferred.kind }),
      nullable: options.nullable ?? inferred.nullable,
      atomShape: options.atomShape ?? inferred.atomShape,
    },
    what,
  );
  return { type, data: input };
}

/**
 * True when data holds a null (a null/undefined entry, or a validity with a zero).
 *
 * @example
 * hasNulls([1, null]); // true
 */
export function hasNulls(input: ColumnInput): boolean {
  if (isColumnValues(input)) return input.validity?.includes(0) === true;
  if (Array.isArray(input)) return input.some((v) => v === null || v === undefined);
  return false;
}

/**
 * True for a plain spec object (`{dtype: "int8"}`) as opposed to data.
 *
 * @example
 * isSpec({ dtype: "int8" }); // true
 */
export function isSpec(x: unknown): x is Omit<ColumnSpec, "name"> {
  return (
    typeof x === "object" &&
    x !== null &&
    !Array.isArray(x) &&
    !ArrayBuffer.isView(x) &&
    !isColumnValues(x) &&
    !(Symbol.iterator in x)
  );
}

/**
 * Only the spec fields (dtype, kind, nullable, atomShape) of an options object.
 *
 * @example
 * specFields({ dtype: "int8", chunklen: 10 }); // { dtype: "int8" }
 */
export function specFields(o: Omit<ColumnSpec, "name">): Omit<ColumnSpec, "name"> {
  const out: Omit<ColumnSpec, "name"> = {};
  if (o.dtype !== undefined) out.dtype = o.dtype;
  if (o.kind !== undefined) out.kind = o.kind;
  if (o.nullable !== undefined) out.nullable = o.nullable;
  if (o.atomShape !== undefined) out.atomShape = o.atomShape;
  return out;
}
