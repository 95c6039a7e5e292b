import { isColzError } from "@colz/format";
import type { EncodedKey } from "./key-codec.js";
import { newVersionName, type WalRecord } from "./layout-names.js";

// The dir layout's commit protocol, shared by the local-directory backend and the Store backend.
// A key's value is an immutable version directory "<bucket>/<stem>.v<token>/"; the pointer
// "<bucket>/<stem>.ptr" names the current one. Replacing the pointer (one atomic write) is the
// commit point, so readers see the old version or the new one, never a mix.
//
// Every operation first makes a write-ahead record durable (the WAL holds only the latest one,
// which is enough: a single writer runs one operation at a time), then changes the pointer, then
// deletes the version the pointer no longer names. After a crash the next writer reads the record
// and finishes the cleanup (`recoverWal`): an unpublished version is deleted, a replaced one too.
// Nothing else ever needs a scan of the store.

/** The primitives a backend provides. Paths are "<bucket>/<stem>" (pointers) and "<bucket>/<stem>.v…" (versions). */
export interface PointerIo {
  /** The version the pointer names, or undefined when there is no pointer. */
  readPointer(pointer: string): Promise<string | undefined>;
  /** Atomically and durably makes `pointer` name `version`. */
  publishPointer(pointer: string, version: string): Promise<void>;
  /** Atomically and durably moves pointer `from` onto `to` (replacing it). */
  movePointer(from: string, to: string): Promise<void>;
  /** Durably removes the pointer. */
  deletePointer(pointer: string): Promise<void>;
  /** Deletes a version directory and everything in it (missing is fine). */
  removeVersion(version: string): Promise<void>;
  /** Durably replaces the WAL record. */
  writeWal(record: WalRecord): Promise<void>;
  /** The WAL record, or undefined (none, or torn). */
  readWal(): Promise<WalRecord | undefined>;
}

/**
 * The version a pointer names; undefined when there is no pointer, null when it is damaged
 * (writers then replace or delete it, and recovery leaves it alone, instead of failing).
 */
async function readTolerant(io: PointerIo, pointer: string): Promise<string | undefined | null> {
  try {
    return await io.readPointer(pointer);
  } catch (e) {
    if (isColzError(e, "ERR_CORRUPT_META")) return null;
    throw e;
  }
}

/**
 * "<bucket>/<stem>": the pointer path of a key.
 *
 * @example
 * pointerOf(encodeKey("AAPL", 2)); // "5c/k_a_a_p_l"
 */
export function pointerOf(name: EncodedKey): string {
  return `${name.bucket}/${name.stem}`;
}

/**
 * Writes a new version with `build` and publishes it; the old version is deleted afterwards.
 * A failure in `build` deletes the partial version and rethrows.
 *
 * @example
 * await replaceValue(io, name, async (version) => { ...write the ctable under version... });
 */
export async function replaceValue(
  io: PointerIo,
  name: EncodedKey,
  build: (version: string) => Promise<void>,
): Promise<void> {
  const pointer = pointerOf(name);
  const prev = (await readTolerant(io, pointer)) ?? undefined;
  const next = `${name.bucket}/${newVersionName(name.stem)}`;
  await io.writeWal({ pointer, next, prev });
  try {
    await build(next);
  } catch (e) {
    await io.removeVersion(next).catch(() => undefined);
    throw e;
  }
  await io.publishPointer(pointer, next);
  if (prev !== undefined) await io.removeVersion(prev);
}

/**
 * Removes the pointer, then its version. False when the key has no value.
 *
 * @example
 * await deleteValue(io, name); // true
 */
export async function deleteValue(io: PointerIo, name: EncodedKey): Promise<boolean> {
  const pointer = pointerOf(name);
  const found = await readTolerant(io, pointer);
  if (found === undefined) return false;
  const prev = found ?? undefined;
  await io.writeWal({ pointer, prev });
  await io.deletePointer(pointer);
  if (prev !== undefined) await io.removeVersion(prev);
  return true;
}

/**
 * Moves `from`'s pointer onto `to`; `to`'s old version is deleted. False when `from` has no value.
 *
 * @example
 * await moveValue(io, encodeKey("old", 2), encodeKey("new", 2));
 */
export async function moveValue(io: PointerIo, from: EncodedKey, to: EncodedKey): Promise<boolean> {
  const source = pointerOf(from);
  const pointer = pointerOf(to);
  const next = await io.readPointer(source);
  if (next === undefined) return false;
  if (source === pointer) return true;
  const prev = (await readTolerant(io, pointer)) ?? undefined;
  await io.writeWal({ pointer, next, prev, source });
  await io.movePointer(source, pointer);
  if (prev !== undefined && prev !== next) await io.removeVersion(prev);
  return true;
}

/**
 * Finishes or undoes the operation in the WAL after a crash (idempotent: running it after a
 * completed operation changes nothing). Called by a writer at open, under the writer lock.
 *
 * @example
 * await recoverWal(io);
 */
export async function recoverWal(io: PointerIo): Promise<void> {
  const record = await io.readWal();
  if (record === undefined) return;
  const current = await readTolerant(io, record.pointer);
  if (current === null) return; // damaged since: delete nothing on its say-so
  if (current === record.next) {
    // The operation took effect: finish it.
    if (record.source !== undefined && (await readTolerant(io, record.source)) === record.next) {
      await io.deletePointer(record.source); // a two-step move stopped half-way
    }
    if (record.prev !== undefined && record.prev !== record.next) await io.removeVersion(record.prev);
  } else if (record.next !== undefined && record.source === undefined) {
    // A set that never published: its version is unreferenced.
    await io.removeVersion(record.next);
  }
}
