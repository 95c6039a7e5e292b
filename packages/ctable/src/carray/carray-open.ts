import { ColzError, detectContainer, type Store, type WriterLock } from "@colz/format";
import { badArgument, where } from "../errors.js";
import type { ColumnInput, ColumnSpec, ColumnValues, CreateOptions, JsValue, OpenOptions } from "../types.js";
import { containerPrefix, prepareCreate } from "../util/prefix.js";
import { toColumnValues } from "../values/convert.js";
import { resolveInputType } from "../values/input-type.js";
import { ColumnIO } from "./column-io.js";

// Creating and opening standalone carrays: modes, the writer lock (taken for 'a' and 'w', never
// for 'r'; released again when anything fails) and the layout.

/** Options of CArray.create. The type comes from `dtype`/`kind`/`nullable`/`atomShape`, else from the data. */
export interface CArrayCreateOptions extends CreateOptions, Omit<ColumnSpec, "name"> {
  /** Where the carray lives in the store ("" = root, default). */
  prefix?: string;
  attrs?: { readonly [key: string]: unknown };
}

/** Options of CArray.open. */
export interface CArrayOpenOptions extends OpenOptions {
  prefix?: string;
  /** Check chunk CRC-32s against their sidecars (default true). */
  verifyChecksums?: boolean;
}

/**
 * Creates an empty carray under the writer lock and opens it for writing; the initial data,
 * converted before anything was written, is returned for appending.
 *
 * @example
 * const { io, lock, values } = await createColumn(store, [1, 2], {});
 */
export async function createColumn(
  store: Store,
  input: ColumnInput | Iterable<JsValue> | Omit<ColumnSpec, "name"> | null | undefined,
  options: CArrayCreateOptions,
): Promise<{ io: ColumnIO; mode: "a" | "w"; lock: WriterLock; values: ColumnValues | undefined }> {
  const prefix = containerPrefix(options.prefix);
  const what = `carray ${where(store, prefix)}`;
  const mode = options.mode ?? "a";
  if (mode !== "a" && mode !== "w")
    throw badArgument(`CArray.create: mode must be "a" or "w", got ${JSON.stringify(mode)}`);
  const { type, data } = resolveInputType(input, options, what);
  const values = data === undefined ? undefined : toColumnValues(data, type, what);
  const lock = await store.lock({ waitMs: options.waitMs });
  try {
    await prepareCreate(store, prefix, mode);
    await ColumnIO.create(store, prefix, type, {
      ...options,
      expectedlen: options.expectedlen ?? values?.length,
      attrs: options.attrs,
    });
    const io = await ColumnIO.open(store, prefix, { writable: true });
    return { io, mode, lock, values: values !== undefined && values.length > 0 ? values : undefined };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/**
 * Opens the carray at `options.prefix` for reading ('r', no lock) or appending ('a', locked).
 *
 * @example
 * const { io } = await openColumn(store, { prefix: "price" });
 */
export async function openColumn(
  store: Store,
  options: CArrayOpenOptions,
): Promise<{ io: ColumnIO; mode: "r" | "a"; lock: WriterLock | undefined }> {
  const prefix = containerPrefix(options.prefix);
  const mode = options.mode ?? "r";
  if (mode === "w") {
    throw badArgument(
      `CArray.open cannot use mode "w" (it needs a dtype): use CArray.create(store, spec, { mode: "w" })`,
    );
  }
  if (mode !== "r" && mode !== "a") throw badArgument(`unknown mode ${JSON.stringify(mode)}`);
  const lock = mode === "a" ? await store.lock({ waitMs: options.waitMs }) : undefined;
  try {
    const kind = await detectContainer(store, prefix);
    if (kind !== "carray") {
      const why = kind === "ctable" ? "it holds a ctable (use CTable.open)" : "there is no carray";
      throw new ColzError("ERR_NOT_A_CONTAINER", `cannot open ${where(store, prefix)} as a carray: ${why}`);
    }
    const io = await ColumnIO.open(store, prefix, {
      writable: mode === "a",
      verifyChecksums: options.verifyChecksums,
    });
    return { io, mode, lock };
  } catch (e) {
    await lock?.release();
    throw e;
  }
}
