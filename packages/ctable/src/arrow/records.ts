import type { Schema } from "apache-arrow";
import type { ColumnSchema } from "../types.js";
import { type ArrowFieldRecord, type ArrowTypeSpec, columnOfArrowField } from "./type-mapping.js";

// What colz keeps about an imported Arrow schema so that exporting gives it back exactly: the
// table attribute "arrow:schema" (plain JSON, so bcolz and any JSON reader see it too):
//
//   "arrow:schema": {"version": 1,
//                    "fields": {"ts": {"type": {"typeId": "TimestampMicrosecond", "timezone": "UTC"}},
//                               "name": {"type": {"typeId": "LargeUtf8"}}},
//                    "metadata": {"pandas": "..."}}
//
// Only fields colz's default mapping would not reproduce are listed; "metadata" is the Arrow
// schema's own metadata. Readers ignore entries that do not parse or no longer fit their column.

/** The table attribute that holds the record. */
export const ARROW_SCHEMA_ATTR = "arrow:schema";

/** The parsed "arrow:schema" attribute. */
export interface ArrowSchemaRecord {
  version: 1;
  fields: Record<string, ArrowFieldRecord>;
  metadata?: Record<string, string>;
}

/** The colz columns of an Arrow schema and the record that makes the round trip exact. */
export function importSchema(schema: Schema): { columns: ColumnSchema[]; record: ArrowSchemaRecord | undefined } {
  const columns: ColumnSchema[] = [];
  const fields: Record<string, ArrowFieldRecord> = {};
  for (const field of schema.fields) {
    const { column, record } = columnOfArrowField(field);
    columns.push(column);
    if (record !== undefined) fields[field.name] = record;
  }
  const metadata = Object.fromEntries(schema.metadata);
  const hasMeta = Object.keys(metadata).length > 0;
  if (Object.keys(fields).length === 0 && !hasMeta) return { columns, record: undefined };
  return { columns, record: hasMeta ? { version: 1, fields, metadata } : { version: 1, fields } };
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string")
  );
}

function isSpec(value: unknown): value is ArrowTypeSpec {
  return typeof value === "object" && value !== null && typeof (value as { typeId?: unknown }).typeId === "string";
}

/**
 * Parses the attribute value; anything malformed yields undefined (the defaults apply), since
 * attributes are user-editable JSON and must never make a table unreadable.
 */
export function parseSchemaRecord(value: unknown): ArrowSchemaRecord | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as { version?: unknown; fields?: unknown; metadata?: unknown };
  if (v.version !== 1 || typeof v.fields !== "object" || v.fields === null) return undefined;
  const fields: Record<string, ArrowFieldRecord> = {};
  for (const [name, f] of Object.entries(v.fields as Record<string, unknown>)) {
    const r = f as { type?: unknown; metadata?: unknown };
    if (typeof r !== "object" || r === null || !isSpec(r.type)) continue;
    fields[name] = isStringMap(r.metadata) ? { type: r.type, metadata: r.metadata } : { type: r.type };
  }
  return isStringMap(v.metadata) ? { version: 1, fields, metadata: v.metadata } : { version: 1, fields };
}

/** The record of one column, if any. */
export function fieldRecord(record: ArrowSchemaRecord | undefined, name: string): ArrowFieldRecord | undefined {
  return record !== undefined && Object.hasOwn(record.fields, name) ? record.fields[name] : undefined;
}
