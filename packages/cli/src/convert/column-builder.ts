import type { ColumnInput, ColumnValues } from "@colz/ctable";
import { type ColumnTypedArray, typedArrayConstructor } from "@colz/format";
import { floatOfText, isFloatText, isInt64Text, isJsonFloatWord } from "./infer.js";
import { parseIsoTime, unitNanoseconds } from "./iso-time.js";
import { describeImportType, type ImportType } from "./schema-option.js";

// Collects one column's values, a batch at a time, converting CSV text or JSON values to the
// column's type. A value that does not fit throws a Misfit, which the importer turns into an
// error naming the file, line and column.

/** A value that does not fit its column's type. */
export class Misfit extends Error {
  constructor(
    readonly column: string,
    readonly value: unknown,
    readonly why: string,
  ) {
    super(why);
  }
}

/** Where values come from: CSV fields (strings, null for empty) or parsed JSON values. */
export type ValueSource = "csv" | "json";

type Converter = (v: unknown) => number | bigint | null;

const INT_RANGES: Record<string, [bigint, bigint]> = {
  i1: [-128n, 127n],
  i2: [-32768n, 32767n],
  i4: [-(2n ** 31n), 2n ** 31n - 1n],
  i8: [-(2n ** 63n), 2n ** 63n - 1n],
  u1: [0n, 255n],
  u2: [0n, 65535n],
  u4: [0n, 2n ** 32n - 1n],
  u8: [0n, 2n ** 64n - 1n],
};

function show(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v) : JSON.stringify(v);
  return s ?? String(v);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Builds the converter of a fixed-size numeric/bool/datetime column; undefined for S/U (strings). */
function converterOf(type: Extract<ImportType, { kind: "fixed" }>, source: ValueSource): Converter | undefined {
  const { dtype } = type;
  const name = describeImportType({ ...type, nullable: false });
  const bad = (v: unknown): never => {
    throw new Misfit("", v, `${show(v)} is not ${name}`);
  };
  switch (dtype.kind) {
    case "i":
    case "u": {
      const [lo, hi] = INT_RANGES[`${dtype.kind}${dtype.itemsize}`]!;
      const big = dtype.itemsize === 8;
      return (v) => {
        let n: bigint;
        if (typeof v === "number" && source === "json" && Number.isSafeInteger(v)) n = BigInt(v);
        else if (typeof v === "string" && isInt64Text(v)) n = BigInt(v);
        else if (typeof v === "string" && dtype.kind === "u" && /^\+?\d+$/.test(v)) n = BigInt(v);
        else return bad(v);
        if (n < lo || n > hi) throw new Misfit("", v, `${show(v)} is out of range for ${name}`);
        return big ? n : Number(n);
      };
    }
    case "f":
      return (v) => {
        if (typeof v === "number" && source === "json") return v;
        if (typeof v === "string" && (isFloatText(v) || (source === "json" && isJsonFloatWord(v)))) {
          return floatOfText(v);
        }
        return bad(v);
      };
    case "b":
      return (v) => {
        if (typeof v === "boolean") return v ? 1 : 0;
        if (v === 1 || v === 0) return v;
        if (typeof v === "string") {
          const l = v.toLowerCase();
          if (l === "true" || l === "1") return 1;
          if (l === "false" || l === "0") return 0;
        }
        return bad(v);
      };
    case "M": {
      const per = unitNanoseconds(dtype.unit ?? "");
      return (v) => {
        if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
        if (typeof v !== "string") return bad(v);
        if (isInt64Text(v)) return BigInt(v); // a datetime64 count
        const t = parseIsoTime(v);
        if (t === undefined || per === undefined) return bad(v);
        if (t.ns % per !== 0n) throw new Misfit("", v, `${show(v)} is more precise than ${name}`);
        return floorDiv(t.ns, per);
      };
    }
    case "m":
      return (v) => {
        if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
        if (typeof v === "string" && isInt64Text(v)) return BigInt(v);
        return bad(v);
      };
    default:
      return undefined;
  }
}

function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** One column's values for the current batch. */
export class ColumnBuilder {
  private readonly convert: Converter | undefined;
  private data: ColumnTypedArray | Uint8Array | undefined;
  private strings: (string | null)[] = [];
  private validity: Uint8Array | undefined;
  private length = 0;

  constructor(
    readonly name: string,
    readonly type: ImportType,
    private readonly source: ValueSource,
    private readonly capacity: number,
  ) {
    this.convert = type.kind === "fixed" ? converterOf(type, source) : undefined;
    this.reset();
  }

  private reset(): void {
    this.length = 0;
    this.strings = [];
    if (this.convert !== undefined && this.type.kind === "fixed") {
      const Ctor = typedArrayConstructor(this.type.dtype);
      this.data = new Ctor(this.capacity);
    }
    this.validity = this.type.nullable ? new Uint8Array(this.capacity) : undefined;
  }

  /** Rows collected since the last take(). */
  get size(): number {
    return this.length;
  }

  /**
   * Adds one value: a CSV field (string; null for an empty unquoted field) or a JSON value
   * (undefined when the key is missing). Throws Misfit when it does not fit.
   */
  push(value: unknown): void {
    const i = this.length;
    const utf8 = this.type.kind === "utf8";
    // Empty CSV fields are null; quoted empty fields ("") too, except in text columns.
    const isNull = value === null || value === undefined || (value === "" && this.source === "csv" && !utf8);
    if (isNull) {
      if (this.validity === undefined) {
        throw new Misfit(this.name, value, `empty value in column ${JSON.stringify(this.name)}, which has no nulls`);
      }
      if (this.convert === undefined) this.strings.push(null);
      this.length++;
      return;
    }
    if (this.validity !== undefined) this.validity[i] = 1;
    if (this.convert === undefined) {
      const text = textOf(value);
      if (this.type.kind === "fixed") this.checkFixedString(text);
      this.strings.push(text);
    } else {
      let v: number | bigint | null;
      try {
        v = this.convert(value);
      } catch (e) {
        if (e instanceof Misfit) throw new Misfit(this.name, value, e.why);
        throw e;
      }
      (this.data as unknown as (number | bigint)[])[i] = v!;
    }
    this.length++;
  }

  // |S<n> holds n UTF-8 bytes, <U<n> n code points (checked here to name the line).
  private checkFixedString(text: string): void {
    if (this.type.kind !== "fixed") return;
    const { dtype } = this.type;
    const n = dtype.kind === "U" ? dtype.itemsize / 4 : dtype.itemsize;
    const size = dtype.kind === "U" ? [...text].length : Buffer.byteLength(text);
    if (size > n) {
      throw new Misfit(
        this.name,
        text,
        `${show(text)} is longer than ${dtype.str} (${n} ${dtype.kind === "U" ? "characters" : "bytes"})`,
      );
    }
  }

  /** The collected values as a column input for CTable.append, and starts a new batch. */
  take(): ColumnInput {
    const n = this.length;
    let out: ColumnInput;
    if (this.convert === undefined) {
      out = this.strings;
    } else {
      const data = this.data!.subarray(0, n) as ColumnTypedArray;
      const fixed = this.type as Extract<ImportType, { kind: "fixed" }>;
      const values: ColumnValues = { kind: "fixed", dtype: fixed.dtype, length: n, data };
      if (this.validity !== undefined) values.validity = this.validity.subarray(0, n);
      out = values;
    }
    this.reset();
    return out;
  }
}
