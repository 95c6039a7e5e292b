import { ColzError } from "../errors.js";

/**
 * NumPy dtype kinds colz supports: bool, signed/unsigned int, float, fixed bytes (S),
 * UCS-4 text (U), datetime64 (M) and timedelta64 (m).
 */
export type DtypeKind = "b" | "i" | "u" | "f" | "S" | "U" | "M" | "m";

/** "<" little-endian, ">" big-endian, "|" not applicable (single bytes, bool, S). */
export type ByteOrder = "<" | ">" | "|";

/** A parsed NumPy base dtype as bcolz stores it in `meta/storage`. */
export interface Dtype {
  /**
   * Canonical NumPy `str(dtype)` used when writing `meta/storage`: "int32", "bool", "|S7", "<U5",
   * "datetime64[D]", ">i4" (non-native byte order keeps the typestring form).
   */
  readonly str: string;
  readonly kind: DtypeKind;
  /** Bytes per element of the base dtype (U5 is 20). */
  readonly itemsize: number;
  readonly byteOrder: ByteOrder;
  /** datetime64/timedelta64 unit, possibly with a multiple: "D", "ns", "10s". */
  readonly unit?: string;
  /** Blosc typesize used for chunks of this dtype (bcolz rule, reference §7.1). */
  readonly typesize: number;
  /** False for dtypes colz reads but never writes (float16). */
  readonly writable: boolean;
}

/** Every datetime64/timedelta64 base unit NumPy knows. */
export const DATETIME_UNITS: readonly string[] = [
  "Y",
  "M",
  "W",
  "D",
  "h",
  "m",
  "s",
  "ms",
  "us",
  "ns",
  "ps",
  "fs",
  "as",
]; // prettier-ignore

const NAMED: Record<string, { kind: DtypeKind; itemsize: number }> = {
  bool: { kind: "b", itemsize: 1 },
  int8: { kind: "i", itemsize: 1 },
  int16: { kind: "i", itemsize: 2 },
  int32: { kind: "i", itemsize: 4 },
  int64: { kind: "i", itemsize: 8 },
  uint8: { kind: "u", itemsize: 1 },
  uint16: { kind: "u", itemsize: 2 },
  uint32: { kind: "u", itemsize: 4 },
  uint64: { kind: "u", itemsize: 8 },
  float16: { kind: "f", itemsize: 2 },
  float32: { kind: "f", itemsize: 4 },
  float64: { kind: "f", itemsize: 8 },
};

const NUMERIC_SIZES: Record<string, readonly number[]> = {
  b: [1],
  i: [1, 2, 4, 8],
  u: [1, 2, 4, 8],
  f: [2, 4, 8],
  M: [8],
  m: [8],
};

/** The largest S/U item colz accepts; NumPy allows more, but such items cannot form sane chunks. */
const MAX_STRING_ITEMSIZE = 1 << 24;

// Typestring: optional byte order, kind letter, size, optional [unit] (datetime kinds only).
const TYPESTRING = /^([<>|=]?)([biufSUMm])(\d+)(?:\[([^\]]*)\])?$/;
const DATETIME_NAME = /^(datetime64|timedelta64)(?:\[([^\]]*)\])?$/;
const UNIT = /^(\d*)(Y|M|W|D|h|m|s|ms|us|ns|ps|fs|as)$/;

function unsupported(str: string, source: string | undefined, why: string): ColzError {
  const where = source === undefined ? "" : ` in ${source}`;
  return new ColzError("ERR_UNSUPPORTED_DTYPE", `unsupported dtype ${JSON.stringify(str)}${where}: ${why}`);
}

/** Canonicalises a datetime unit ("1D" → "D", "10s" stays); undefined when it is not a unit. */
function parseUnit(unit: string): string | undefined {
  const m = UNIT.exec(unit);
  if (m === null) return undefined;
  const mult = m[1] === "" ? 1 : Number(m[1]);
  if (!Number.isSafeInteger(mult) || mult < 1 || mult > 2 ** 31 - 1) return undefined;
  return mult === 1 ? m[2] : `${mult}${m[2]}`;
}

/** numpy's `str(dtype)` for one we accept (native order gets the name form, like numpy on x86). */
function canonicalName(kind: DtypeKind, itemsize: number, order: ByteOrder, unit: string | undefined): string {
  if (kind === "S") return `|S${itemsize}`;
  if (kind === "U") return `${order}U${itemsize / 4}`;
  if (kind === "b") return "bool";
  const foreign = order === ">"; // colz writes little-endian only; a ">" dtype keeps numpy's typestring form
  if (kind === "M" || kind === "m") {
    if (foreign) return `>${kind}8[${unit}]`;
    return `${kind === "M" ? "datetime64" : "timedelta64"}[${unit}]`;
  }
  if (foreign && itemsize > 1) return `>${kind}${itemsize}`;
  const base = kind === "i" ? "int" : kind === "u" ? "uint" : "float";
  return `${base}${itemsize * 8}`;
}

/**
 * The Blosc typesize bcolz uses for chunks of a base dtype (reference §7.1): 1 for bytes strings,
 * 4 for UCS-4 strings (one code unit), the itemsize otherwise.
 *
 * @example
 * bloscTypesize("S", 7); // 1
 * bloscTypesize("U", 20); // 4
 */
export function bloscTypesize(kind: DtypeKind | "V", itemsize: number): number {
  if (kind === "S") return 1;
  if (kind === "U") return 4;
  if (kind === "V" && itemsize > 255) return 1;
  return itemsize;
}

function make(kind: DtypeKind, itemsize: number, order: ByteOrder, unit?: string): Dtype {
  if (itemsize === 1 || kind === "S" || kind === "b") order = "|";
  const dtype: Dtype = {
    str: canonicalName(kind, itemsize, order, unit),
    kind,
    itemsize,
    byteOrder: order,
    typesize: bloscTypesize(kind, itemsize),
    writable: !(kind === "f" && itemsize === 2),
    ...(unit === undefined ? {} : { unit }),
  };
  return Object.freeze(dtype);
}

/**
 * Parses a NumPy dtype string the way bcolz writes it in `meta/storage` ("int32", "<i4", ">f8",
 * "|b1", "|S7", "<U5", "datetime64[D]", "<M8[10s]", "timedelta64[ns]"). Unsupported dtypes
 * (object, structured, void, complex, generic datetime) throw ERR_UNSUPPORTED_DTYPE naming the
 * string and `source` (the key it came from).
 *
 * @example
 * parseDtype("<i4").str;                        // "int32"
 * parseDtype(">f8").byteOrder;                  // ">"
 * parseDtype("|S7", "sym/meta/storage").typesize; // 1
 */
export function parseDtype(str: string, source?: string): Dtype {
  if (typeof str !== "string") {
    throw unsupported(String(str), source, `the dtype must be a string, got ${typeof str}`);
  }
  const named = NAMED[str];
  if (named !== undefined) return make(named.kind, named.itemsize, "<");
  const dt = DATETIME_NAME.exec(str);
  if (dt !== null) {
    const unit = dt[2] === undefined ? undefined : parseUnit(dt[2]);
    if (unit === undefined) throw unsupported(str, source, "a datetime64/timedelta64 needs a unit like [D] or [ns]");
    return make(dt[1] === "datetime64" ? "M" : "m", 8, "<", unit);
  }
  const m = TYPESTRING.exec(str);
  if (m === null) throw unsupported(str, source, whyNot(str));
  // "|" and "=" on a multi-byte type mean native order, which is little-endian on every platform colz targets.
  const order: ByteOrder = m[1] === ">" ? ">" : "<";
  const kind = m[2] as DtypeKind;
  const n = Number(m[3]);
  const unitText = m[4];
  if ((kind === "M" || kind === "m") !== (unitText !== undefined)) {
    throw unsupported(str, source, kind === "M" || kind === "m" ? "a unit like [D] is required" : "unexpected [unit]");
  }
  if (kind === "S" || kind === "U") {
    const itemsize = kind === "U" ? n * 4 : n;
    if (!Number.isSafeInteger(n) || n < 1 || itemsize > MAX_STRING_ITEMSIZE) {
      throw unsupported(
        str,
        source,
        `string length must be 1..${kind === "U" ? MAX_STRING_ITEMSIZE / 4 : MAX_STRING_ITEMSIZE}`,
      );
    }
    return make(kind, itemsize, order);
  }
  if (!NUMERIC_SIZES[kind]!.includes(n)) throw unsupported(str, source, `no ${n}-byte variant of kind '${kind}'`);
  if (kind === "M" || kind === "m") {
    const unit = parseUnit(unitText!);
    if (unit === undefined) throw unsupported(str, source, `unknown datetime unit [${unitText}]`);
    return make(kind, 8, order, unit);
  }
  return make(kind, n, order);
}

function whyNot(str: string): string {
  if (str === "object" || /^[<>|=]?O\d*$/.test(str)) return "Python object arrays are pickles; colz cannot read them";
  if (str.startsWith("[") || str.startsWith("{") || str.startsWith("(")) {
    return "structured (record) dtypes are not supported; store each field as a ctable column";
  }
  if (/^[<>|=]?V\d+$/.test(str) || str.startsWith("void")) return "raw void dtypes are not supported";
  if (/^[<>|=]?c\d+$/.test(str) || str.startsWith("complex")) return "complex dtypes are not supported";
  return "not a NumPy dtype string colz understands";
}

/**
 * The Dtype for a canonical name, for writers: like `parseDtype` but also rejects dtypes colz
 * reads and never writes (float16).
 *
 * @example
 * writableDtype("float64").itemsize; // 8
 */
export function writableDtype(str: string | Dtype, source?: string): Dtype {
  const d = typeof str === "string" ? parseDtype(str, source) : str;
  if (!d.writable) throw unsupported(d.str, source, "colz reads float16 but does not write it");
  return d;
}

/**
 * True for dtypes whose elements are 64-bit integers in JS (BigInt64Array/BigUint64Array).
 *
 * @example
 * isBigIntDtype(parseDtype("datetime64[ns]")); // true
 */
export function isBigIntDtype(d: Dtype): boolean {
  return d.itemsize === 8 && (d.kind === "i" || d.kind === "u" || d.kind === "M" || d.kind === "m");
}
