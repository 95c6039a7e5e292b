import { ColzError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { CArrayAppender } from "../carray-appender.js";
import type { CParams } from "../carray-meta.js";
import { CArrayReader, type CArrayReaderOptions } from "../carray-reader.js";
import { CArrayWriter, commitCArrays } from "../carray-writer.js";
import { readColzMeta } from "./colz-meta.js";
import { createNullableCArray, openValidity, validityPrefix } from "./validity.js";

// Variable-length utf8/binary columns. The column's own carray holds int64 END offsets (row r
// spans bytes [end[r-1], end[r]) with end[-1] = 0), so bcolz sees an int64 array of the right
// length; the bytes live in a uint8 carray at "<prefix>colz/values/". Commit order: values,
// validity, offsets, so the offsets never point past committed bytes.

/**
 * The prefix of the byte carray of the variable-length carray at `prefix`.
 *
 * @example
 * valuesPrefix("name/"); // "name/colz/values/"
 */
export function valuesPrefix(prefix: string): string {
  return `${prefix}colz/values/`;
}

export interface VarlenCreateOptions {
  logicalType: "utf8" | "binary";
  /** Rows per offsets chunk (default: colz's default for int64). */
  chunklen?: number;
  /** Bytes per values chunk (default 256 KB or more, by `expectedBytes`). */
  valuesChunklen?: number;
  expectedlen?: number;
  expectedBytes?: number;
  cparams?: Partial<CParams>;
  nullable?: boolean;
  attrs?: { readonly [key: string]: unknown };
  chunkStats?: boolean;
}

/**
 * Creates an empty variable-length column: the values carray (uint8) first, then (for nullable
 * columns) the validity, then the int64 offsets carray with `meta/colz` {"logicalType": ...}.
 *
 * @example
 * await createVarlenCArray(store, "name/", { logicalType: "utf8" });
 */
export async function createVarlenCArray(store: Store, prefix: string, options: VarlenCreateOptions): Promise<void> {
  if (options.logicalType !== "utf8" && options.logicalType !== "binary") {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `logicalType must be "utf8" or "binary", got ${String(options.logicalType)}`,
    );
  }
  await CArrayWriter.create(store, valuesPrefix(prefix), {
    dtype: "uint8",
    chunklen: options.valuesChunklen,
    expectedlen: options.expectedBytes,
    cparams: { shuffle: 0, ...options.cparams }, // shuffling single bytes does nothing
    chunkStats: options.chunkStats,
  });
  const main = {
    dtype: "int64",
    chunklen: options.chunklen,
    expectedlen: options.expectedlen,
    cparams: options.cparams,
    attrs: options.attrs,
    chunkStats: options.chunkStats,
    logicalType: options.logicalType,
  };
  if (options.nullable === true) await createNullableCArray(store, prefix, main);
  else await CArrayWriter.create(store, prefix, main);
}

const encoder = new TextEncoder();

/**
 * Appends strings or byte strings to a variable-length column; `null` is a null row (nullable
 * columns only) stored as an empty value. `flush()` commits values, validity, offsets in that order.
 *
 * @example
 * const a = await VarlenAppender.open(store, "name/");
 * await a.append(["ab", "", "ĉ"]); await a.flush();
 */
export class VarlenAppender {
  private constructor(
    readonly logicalType: "utf8" | "binary",
    private readonly offsets: CArrayAppender,
    private readonly values: CArrayAppender,
    private end: bigint,
  ) {}

  /**
   * Opens the column for appending. Bytes left beyond the last committed offset by an
   * interrupted commit are cut off first.
   *
   * @example
   * const a = await VarlenAppender.open(store, "name/");
   */
  static async open(store: Store, prefix: string): Promise<VarlenAppender> {
    const meta = await readColzMeta(store, prefix);
    if (meta?.logicalType !== "utf8" && meta?.logicalType !== "binary") {
      throw new ColzError("ERR_BAD_ARGUMENT", `${prefix}meta/colz: not a variable-length (utf8/binary) column`);
    }
    const main = await CArrayWriter.open(store, prefix);
    const valuesWriter = await CArrayWriter.open(store, valuesPrefix(prefix));
    const end = main.length === 0 ? 0n : await lastEnd(store, prefix, main.length);
    if (end > BigInt(valuesWriter.length)) {
      throw new ColzError(
        "ERR_CORRUPT_META",
        `${prefix}: offsets end at ${end} but ${valuesPrefix(prefix)} holds ${valuesWriter.length} bytes`,
      );
    }
    if (BigInt(valuesWriter.length) > end) await valuesWriter.commit(Number(end));
    const validity = meta.nullable ? await CArrayWriter.open(store, validityPrefix(prefix)) : undefined;
    const offsets = await CArrayAppender.open(main, validity);
    const values = await CArrayAppender.open(valuesWriter);
    return new VarlenAppender(meta.logicalType as "utf8" | "binary", offsets, values, end);
  }

  /** Rows appended so far. */
  get length(): number {
    return this.offsets.length;
  }

  /**
   * Appends rows: strings are UTF-8 encoded (utf8 columns take strings only, binary columns
   * Uint8Arrays only); null needs a nullable column.
   *
   * @example
   * await a.append(["x", null]);
   */
  async append(rows: readonly (string | Uint8Array | null)[]): Promise<void> {
    const ends = new BigInt64Array(rows.length);
    const valid = this.offsets.validity === undefined ? undefined : new Uint8Array(rows.length);
    const parts: Uint8Array[] = [];
    let total = 0;
    rows.forEach((row, k) => {
      if (row === null) {
        if (valid === undefined)
          throw new ColzError("ERR_BAD_ARGUMENT", `row ${k} is null but the column is not nullable`);
      } else {
        const wantString = this.logicalType === "utf8";
        if (wantString !== (typeof row === "string")) {
          throw new ColzError(
            "ERR_BAD_ARGUMENT",
            `row ${k}: a ${this.logicalType} column takes ${wantString ? "strings" : "Uint8Arrays"}`,
          );
        }
        const bytes = typeof row === "string" ? encoder.encode(row) : row;
        parts.push(bytes);
        total += bytes.length;
        if (valid !== undefined) valid[k] = 1;
      }
      ends[k] = this.end + BigInt(total);
    });
    const data = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    await this.values.append(data);
    await this.offsets.append(new Uint8Array(ends.buffer), valid);
    this.end += BigInt(total);
  }

  /**
   * Writes pending leftover chunks without committing (step 1 of the commit protocol).
   *
   * @example
   * await a.flushChunks(); await commitCArrays(store, a.commitEntries());
   */
  async flushChunks(): Promise<void> {
    await this.values.flushChunks();
    await this.offsets.flushChunks();
  }

  /**
   * The [writer, length] pairs for `commitCArrays`, in commit order: values, validity, offsets.
   *
   * @example
   * await commitCArrays(store, [...nameColumn.commitEntries(), ...priceColumn.commitEntries()]);
   */
  commitEntries(): [CArrayWriter, number][] {
    return [...this.values.commitEntries(), ...this.offsets.commitEntries()];
  }

  /**
   * Writes pending chunks and commits values, validity, then offsets.
   *
   * @example
   * await a.flush();
   */
  async flush(): Promise<void> {
    await this.flushChunks();
    await commitCArrays(this.offsets.writer.store, this.commitEntries());
  }
}

async function lastEnd(store: Store, prefix: string, length: number): Promise<bigint> {
  const r = await CArrayReader.open(store, prefix);
  const b = await r.readRows(length - 1, length);
  return new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true);
}

/**
 * Reads a variable-length column: `read(start, end)` returns strings (utf8) or Uint8Arrays
 * (binary), with null for null rows, decoding only the chunks the rows touch.
 *
 * @example
 * const r = await VarlenReader.open(store, "name/");
 * await r.read(0, r.length); // ["ab", "", "ĉ"]
 */
export class VarlenReader {
  private constructor(
    readonly logicalType: "utf8" | "binary",
    readonly offsets: CArrayReader,
    readonly values: CArrayReader,
    readonly validity: CArrayReader | undefined,
  ) {}

  /**
   * Opens the column at `prefix`; ERR_BAD_ARGUMENT when `meta/colz` does not mark it utf8/binary.
   *
   * @example
   * const r = await VarlenReader.open(store, "name/");
   */
  static async open(store: Store, prefix: string, options: CArrayReaderOptions = {}): Promise<VarlenReader> {
    const offsets = await CArrayReader.open(store, prefix, options);
    const t = offsets.colz?.logicalType;
    if (t !== "utf8" && t !== "binary") {
      throw new ColzError("ERR_BAD_ARGUMENT", `${prefix}: not a variable-length (utf8/binary) column`);
    }
    if (offsets.dtype.str !== "int64" || offsets.atomShape.length !== 0) {
      throw new ColzError("ERR_CORRUPT_META", `${prefix}meta/storage: a ${t} column's offsets must be 1-D int64`);
    }
    const values = await CArrayReader.open(store, valuesPrefix(prefix), options);
    if (values.dtype.str !== "uint8" || values.atomShape.length !== 0) {
      throw new ColzError("ERR_CORRUPT_META", `${valuesPrefix(prefix)}meta/storage: values must be 1-D uint8`);
    }
    return new VarlenReader(t as "utf8" | "binary", offsets, values, await openValidity(offsets, options));
  }

  get length(): number {
    return this.offsets.length;
  }

  /**
   * The raw form of rows [start, end): `ends[k]` is the end of row start+k within `data`
   * (relative to the first row's start). Offsets that decrease or point past the values are
   * ERR_CORRUPT_CHUNK naming the offsets carray.
   *
   * @example
   * const { ends, data } = await r.readRaw(10, 20);
   */
  async readRaw(start: number, end: number): Promise<{ ends: Float64Array; data: Uint8Array }> {
    const from = Math.max(0, start - 1);
    const raw = await this.offsets.readRows(from, end);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const n = end - start;
    const base = start === 0 ? 0 : toSafe(view.getBigInt64(0, true), this.offsets.prefix, start - 1);
    const ends = new Float64Array(n);
    let prev = base;
    for (let k = 0; k < n; k++) {
      const e = toSafe(view.getBigInt64((k + start - from) * 8, true), this.offsets.prefix, start + k);
      if (e < prev || e > this.values.length) {
        throw new ColzError(
          "ERR_CORRUPT_CHUNK",
          `${this.offsets.prefix}data: offset ${e} of row ${start + k} is not within ${prev}..${this.values.length}`,
        );
      }
      ends[k] = e - base;
      prev = e;
    }
    const data = await this.values.readRows(base, prev);
    return { ends, data };
  }

  /**
   * Rows [start, end) as strings (utf8; invalid UTF-8 becomes U+FFFD) or Uint8Arrays (binary,
   * views into one buffer), null where the validity says null.
   *
   * @example
   * await r.read(0, 2); // ["ab", null]
   */
  async read(start: number, end: number): Promise<(string | Uint8Array | null)[]> {
    const [{ ends, data }, valid] = await Promise.all([this.readRaw(start, end), this.validity?.readRows(start, end)]);
    const decoder = new TextDecoder();
    const out: (string | Uint8Array | null)[] = new Array(end - start);
    let at = 0;
    for (let k = 0; k < out.length; k++) {
      const e = ends[k]!;
      const bytes = data.subarray(at, e);
      at = e;
      if (valid !== undefined && valid[k] === 0) out[k] = null;
      else out[k] = this.logicalType === "utf8" ? decoder.decode(bytes) : bytes;
    }
    return out;
  }
}

function toSafe(v: bigint, prefix: string, row: number): number {
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ColzError("ERR_CORRUPT_CHUNK", `${prefix}data: offset ${v} of row ${row} is out of range`);
  }
  return Number(v);
}
