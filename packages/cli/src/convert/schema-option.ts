import { type Dtype, isColzError, parseDtype } from "@colz/format";
import { usageError } from "../errors.js";

/**
 * The type of an imported column: a NumPy dtype (fixed-size) or variable-length UTF-8 text.
 * `nullable` columns get a validity carray; an empty CSV field / JSON null becomes null.
 */
export type ImportType = { kind: "fixed"; dtype: Dtype; nullable: boolean } | { kind: "utf8"; nullable: boolean };

/** One `--schema` entry. `nullable` is true when the dtype ended in `?` (forced nullable). */
export interface SchemaOverride {
  name: string;
  type: ImportType;
}

const UTF8_NAMES = new Set(["str", "string", "utf8", "text", "U", "O"]);

/**
 * Parses one dtype of `--schema`: NumPy dtype strings (`i8`, `<i4`, `u2`, `f8`, `float32`, `bool`,
 * `S10`, `U10`, `M8[ms]`, `datetime64[us]`, `m8[s]`) or `str`/`string`/`utf8` for variable-length
 * text; a trailing `?` makes the column nullable. Big-endian and float16 are refused.
 *
 * @example
 * parseImportDtype("M8[ms]?"); // { kind: "fixed", dtype: datetime64[ms], nullable: true }
 */
export function parseImportDtype(text: string, column: string): ImportType {
  const nullable = text.endsWith("?") && text.length > 1;
  const body = nullable ? text.slice(0, -1) : text;
  if (UTF8_NAMES.has(body)) return { kind: "utf8", nullable };
  let dtype: Dtype;
  try {
    dtype = parseDtype(body === "b1" || body === "?" ? "bool" : body);
  } catch (e) {
    if (isColzError(e)) throw usageError(`--schema: column ${JSON.stringify(column)}: ${e.message}`);
    throw e;
  }
  if (dtype.byteOrder === ">") {
    throw usageError(
      `--schema: column ${JSON.stringify(column)}: big-endian ${body} is not supported; use ${body.slice(1)}`,
    );
  }
  if (!dtype.writable) throw usageError(`--schema: column ${JSON.stringify(column)}: colz does not write ${dtype.str}`);
  if (dtype.kind === "M" && /^\d*[YM]$/.test(dtype.unit ?? "")) {
    throw usageError(`--schema: column ${JSON.stringify(column)}: import of ${dtype.str} is not supported; use M8[D]`);
  }
  return { kind: "fixed", dtype, nullable };
}

/**
 * Parses `--schema name:dtype,name:dtype,...` (the last `:` of an entry separates the name).
 *
 * @example
 * parseSchemaOption("id:i8,price:f8,sym:S10,ts:M8[ms],ok:bool,note:str?");
 */
export function parseSchemaOption(text: string): SchemaOverride[] {
  const out: SchemaOverride[] = [];
  const seen = new Set<string>();
  for (const entry of text.split(",")) {
    const at = entry.lastIndexOf(":");
    if (at <= 0 || at === entry.length - 1) {
      throw usageError(`--schema entries must be name:dtype (e.g. id:i8,price:f8), got ${JSON.stringify(entry)}`);
    }
    const name = entry.slice(0, at).trim();
    if (seen.has(name)) throw usageError(`--schema names column ${JSON.stringify(name)} twice`);
    seen.add(name);
    out.push({ name, type: parseImportDtype(entry.slice(at + 1).trim(), name) });
  }
  return out;
}

/** The dtype as the user would write it back in --schema. */
export function describeImportType(type: ImportType): string {
  return (type.kind === "utf8" ? "str" : type.dtype.str) + (type.nullable ? "?" : "");
}
