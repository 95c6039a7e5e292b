import type { DataType } from "apache-arrow";
import * as arrow from "apache-arrow";

// apache-arrow gained Utf8View/BinaryView in 21.2 (type ids 24/23 of the Arrow spec); 21.1,
// the oldest version this package supports, knows neither. Everything that touches them goes
// through this file, which looks the classes up at run time instead of importing them.

/** Arrow's type ids of the view types (Schema.fbs), the same in every implementation. */
export const BINARY_VIEW_TYPE_ID = 23;
export const UTF8_VIEW_TYPE_ID = 24;

/** Bytes per view struct: length, then 12 inline bytes or a 4-byte prefix, buffer index, offset. */
export const VIEW_SIZE = 16;
/** Values up to this many bytes live inside the view struct itself. */
export const VIEW_INLINE_MAX = 12;

type TypeCtor = new () => DataType;

function ctor(name: "Utf8View" | "BinaryView"): TypeCtor | undefined {
  const value = (arrow as unknown as Record<string, unknown>)[name];
  return typeof value === "function" ? (value as TypeCtor) : undefined;
}

/** True when the installed apache-arrow can represent view types (>= 21.2). */
export function hasViewTypes(): boolean {
  return ctor("Utf8View") !== undefined && ctor("BinaryView") !== undefined;
}

/** A Utf8View or BinaryView type instance, or undefined on an apache-arrow without them. */
export function makeViewType(utf8: boolean): DataType | undefined {
  const C = ctor(utf8 ? "Utf8View" : "BinaryView");
  return C === undefined ? undefined : new C();
}

/** "Utf8View" / "BinaryView" for those types, undefined otherwise (works on any version). */
export function viewKind(type: DataType): "Utf8View" | "BinaryView" | undefined {
  const id = type.typeId as number;
  if (id === UTF8_VIEW_TYPE_ID) return "Utf8View";
  if (id === BINARY_VIEW_TYPE_ID) return "BinaryView";
  return undefined;
}

/** Error text for a view type on an apache-arrow that cannot build it. */
export const VIEW_TYPES_NEED =
  "Utf8View/BinaryView need apache-arrow >= 21.2 (the installed version does not support them)";
