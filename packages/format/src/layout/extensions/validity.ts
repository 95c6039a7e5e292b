import { writableDtype } from "../../dtype/dtype.js";
import { ColzError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { CArrayAppender } from "../carray-appender.js";
import { CArrayReader, type CArrayReaderOptions } from "../carray-reader.js";
import { type CArrayCreateOptions, CArrayWriter } from "../carray-writer.js";
import { defaultChunklen } from "../chunklen.js";
import { readColzMeta } from "./colz-meta.js";

// Nullable columns: the values stay an ordinary carray (bcolz sees the fill value, usually 0, at
// null rows) and a bool carray at "<prefix>colz/validity/" with the same chunklen says which
// rows are valid (1) or null (0). Its length is never below the values' length: it is committed
// first, so a crash can only leave it longer, and writers cut it back.

/**
 * The prefix of the validity carray of the carray at `prefix`.
 *
 * @example
 * validityPrefix("price/"); // "price/colz/validity/"
 */
export function validityPrefix(prefix: string): string {
  return `${prefix}colz/validity/`;
}

/**
 * Number of nulls (zero bytes) in validity bytes.
 *
 * @example
 * countNulls(new Uint8Array([1, 0, 1])); // 1
 */
export function countNulls(validity: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < validity.length; i++) if (validity[i] === 0) n++;
  return n;
}

/**
 * Creates an empty nullable carray: the validity carray first (so a values carray marked nullable
 * never lacks one), then the values with `meta/colz` {"nullable": true}.
 *
 * @example
 * const { values, validity } = await createNullableCArray(store, "price/", { dtype: "float64" });
 */
export async function createNullableCArray(
  store: Store,
  prefix: string,
  options: CArrayCreateOptions,
): Promise<{ values: CArrayWriter; validity: CArrayWriter }> {
  const dtype = writableDtype(options.dtype);
  const atomsize = dtype.itemsize * (options.atomShape ?? []).reduce((a, b) => a * b, 1);
  const chunklen = options.chunklen ?? defaultChunklen(atomsize, options.expectedlen);
  const validity = await CArrayWriter.create(store, validityPrefix(prefix), {
    dtype: "bool",
    chunklen,
    expectedlen: options.expectedlen,
    cparams: options.cparams,
    chunkStats: options.chunkStats,
  });
  const values = await CArrayWriter.create(store, prefix, { ...options, chunklen, nullable: true });
  return { values, validity };
}

/**
 * Opens the validity carray of the reader's carray when `meta/colz` marks it nullable, checking
 * that it is bool, shares the chunklen and covers every row; undefined for non-nullable carrays.
 *
 * @example
 * const valid = await openValidity(reader); // CArrayReader | undefined
 * const bits = await valid?.readRows(0, reader.length);
 */
export async function openValidity(
  reader: CArrayReader,
  options: CArrayReaderOptions = {},
): Promise<CArrayReader | undefined> {
  if (reader.colz?.nullable !== true) return undefined;
  const prefix = validityPrefix(reader.prefix);
  const v = await CArrayReader.open(reader.store, prefix, options);
  if (v.dtype.kind !== "b" || v.atomShape.length !== 0 || v.chunklen !== reader.chunklen || v.length < reader.length) {
    throw new ColzError(
      "ERR_CORRUPT_META",
      `${prefix}: a validity carray must be 1-D bool with chunklen ${reader.chunklen} and at least ${reader.length} rows`,
    );
  }
  return v;
}

/**
 * An appender for a nullable carray: values and validity in lockstep (`append(bytes, valid)`).
 *
 * @example
 * const a = await openNullableAppender(store, "price/");
 * await a.append(bytes, new Uint8Array([1, 0])); await a.flush();
 */
export async function openNullableAppender(store: Store, prefix: string): Promise<CArrayAppender> {
  const meta = await readColzMeta(store, prefix);
  if (meta?.nullable !== true) throw new ColzError("ERR_BAD_ARGUMENT", `${prefix}: the carray is not nullable`);
  const [values, validity] = await Promise.all([
    CArrayWriter.open(store, prefix),
    CArrayWriter.open(store, validityPrefix(prefix)),
  ]);
  return CArrayAppender.open(values, validity);
}
