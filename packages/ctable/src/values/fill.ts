import { type ColumnTypedArray, PyFloat, type PyJsonValue, typedArrayConstructor } from "@colz/format";
import type { ColumnValues } from "../types.js";
import type { ColumnType } from "./column-type.js";
import { toColumnValues } from "./convert.js";
import { scalarConverter } from "./scalars.js";

/**
 * `n` rows of filler for growing a column (resize, addColumn without values): nulls in nullable
 * columns; otherwise the column's `dflt` from meta/storage (bcolz's fill value), or zero / ""
 * when it has none or it does not fit.
 *
 * @example
 * fillValues(type, 3, 1.5); // Float64Array [1.5, 1.5, 1.5]
 */
export function fillValues(type: ColumnType, n: number, dflt: PyJsonValue | undefined): ColumnValues {
  const validity = type.nullable ? new Uint8Array(n) : undefined;
  const extra = validity === undefined ? {} : { validity };
  if (type.kind !== "fixed") {
    return { kind: type.kind, length: n, offsets: new Int32Array(n + 1), data: new Uint8Array(0), ...extra };
  }
  const { dtype } = type;
  const value = type.nullable ? undefined : dflt instanceof PyFloat ? dflt.value : dflt;
  if (dtype.kind === "S" || dtype.kind === "U") {
    const width = dtype.itemsize * type.atomItems;
    const data = new Uint8Array(n * width);
    if (typeof value === "string" && value !== "" && type.atomItems === 1) {
      try {
        const one = toColumnValues([value], { ...type, nullable: false }, "dflt").data as Uint8Array;
        for (let r = 0; r < n; r++) data.set(one, r * width);
      } catch {
        // A dflt that does not fit the dtype (hand-edited metadata): fill with empty strings.
      }
    }
    return { kind: "fixed", dtype, length: n, data, ...extra };
  }
  const Ctor = typedArrayConstructor(dtype);
  const data = new Ctor(n * type.atomItems) as ColumnTypedArray;
  if (value !== undefined && value !== null) {
    try {
      const x = scalarConverter(dtype, "dflt")(value, 0);
      if (x !== 0 && x !== 0n) (data as { fill(v: number | bigint): unknown }).fill(x);
    } catch {
      // Same: a dflt of the wrong type is ignored rather than making the column unusable.
    }
  }
  return { kind: "fixed", dtype, length: n, data, ...extra };
}
