import type { Dtype } from "./dtype.js";

/**
 * A plain description of an Apache Arrow type, named after apache-arrow's type classes so that
 * `@colz/ctable/arrow` can build the real type (`new arrow[typeId](...)`) without this package
 * depending on apache-arrow.
 */
export type ArrowTypeDescriptor =
  | { typeId: "Bool" }
  | { typeId: "Int8" | "Int16" | "Int32" | "Int64" | "Uint8" | "Uint16" | "Uint32" | "Uint64" }
  | { typeId: "Float16" | "Float32" | "Float64" }
  | { typeId: "Utf8" | "Binary" | "DateDay" }
  | { typeId: "FixedSizeBinary"; byteWidth: number }
  | { typeId: "TimestampSecond" | "TimestampMillisecond" | "TimestampMicrosecond" | "TimestampNanosecond" }
  | { typeId: "DurationSecond" | "DurationMillisecond" | "DurationMicrosecond" | "DurationNanosecond" }
  | { typeId: "FixedSizeList"; listSize: number; child: ArrowTypeDescriptor };

/** How values must be converted between colz's stored bytes and the Arrow type. */
export type ArrowConversion =
  /** The stored bytes are Arrow's value buffer as they are. */
  | "none"
  /** bool bytes (0/1) ↔ Arrow's bit-packed validity-style bitmap. */
  | "bool-bits"
  /** int64 day counts ↔ Arrow DateDay's int32. */
  | "int64-days-to-int32"
  /** UCS-4 fixed width ↔ UTF-8 with offsets (trailing NULs stripped). */
  | "ucs4-to-utf8"
  /** datetime/timedelta units Arrow has no type for (Y, M, W, h, m, ps, fs, as, multiples): plain int64. */
  | "int64-raw";

/** The Arrow mapping of a colz column: its type, the conversion, and metadata to keep. */
export interface ArrowMapping {
  type: ArrowTypeDescriptor;
  conversion: ArrowConversion;
  /** Field metadata that lets the original dtype be restored ("colz:dtype"). */
  metadata: Record<string, string>;
}

const TIME_SUFFIX: Record<string, string> = { s: "Second", ms: "Millisecond", us: "Microsecond", ns: "Nanosecond" };

/**
 * The Arrow type for a colz dtype with an atom shape (`[]` for 1-D columns; N-D atoms become
 * nested FixedSizeLists). Byte order is not part of the Arrow type: readers swap to native.
 *
 * @example
 * arrowTypeOf(parseDtype("int32")).type;            // { typeId: "Int32" }
 * arrowTypeOf(parseDtype("datetime64[D]")).type;    // { typeId: "DateDay" }
 * arrowTypeOf(parseDtype("float32"), [4]).type;     // FixedSizeList(4, Float32)
 */
export function arrowTypeOf(dtype: Dtype, atomShape: readonly number[] = []): ArrowMapping {
  const base = baseMapping(dtype);
  let type = base.type;
  for (let i = atomShape.length - 1; i >= 0; i--)
    type = { typeId: "FixedSizeList", listSize: atomShape[i]!, child: type };
  return { ...base, type, metadata: { "colz:dtype": dtype.str } };
}

function baseMapping(d: Dtype): Omit<ArrowMapping, "metadata"> {
  const bits = d.itemsize * 8;
  switch (d.kind) {
    case "b":
      return { type: { typeId: "Bool" }, conversion: "bool-bits" };
    case "i":
      return { type: { typeId: `Int${bits}` as "Int32" }, conversion: "none" };
    case "u":
      return { type: { typeId: `Uint${bits}` as "Uint32" }, conversion: "none" };
    case "f":
      return { type: { typeId: `Float${bits}` as "Float32" }, conversion: "none" };
    case "S":
      return { type: { typeId: "FixedSizeBinary", byteWidth: d.itemsize }, conversion: "none" };
    case "U":
      return { type: { typeId: "Utf8" }, conversion: "ucs4-to-utf8" };
    case "M":
      if (d.unit === "D") return { type: { typeId: "DateDay" }, conversion: "int64-days-to-int32" };
      if (TIME_SUFFIX[d.unit!] !== undefined) {
        return { type: { typeId: `Timestamp${TIME_SUFFIX[d.unit!]}` as "TimestampSecond" }, conversion: "none" };
      }
      return { type: { typeId: "Int64" }, conversion: "int64-raw" };
    case "m":
      if (TIME_SUFFIX[d.unit!] !== undefined) {
        return { type: { typeId: `Duration${TIME_SUFFIX[d.unit!]}` as "DurationSecond" }, conversion: "none" };
      }
      return { type: { typeId: "Int64" }, conversion: "int64-raw" };
  }
}
