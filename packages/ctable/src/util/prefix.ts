import { ColzError, checkPrefix, detectContainer, type Store } from "@colz/format";
import { where } from "../errors.js";

/**
 * A container prefix from user input: undefined or "" is the store's root; a trailing "/" is
 * added when missing ("tables/t1" → "tables/t1/"). Invalid prefixes are ERR_BAD_KEY.
 *
 * @example
 * containerPrefix("t1"); // "t1/"
 */
export function containerPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === "") return "";
  const p = prefix.endsWith("/") ? prefix : `${prefix}/`;
  checkPrefix(p);
  return p;
}

/**
 * Deletes every key of the container at `prefix` (mode 'w'): the commit points first, so a crash
 * midway leaves no half-deleted container that still looks valid, then everything else.
 *
 * @example
 * await wipePrefix(store, "t1/");
 */
export async function wipePrefix(store: Store, prefix: string): Promise<void> {
  const keys = await store.list(prefix);
  if (keys.length === 0) return;
  const points = keys.filter((k) => k === `${prefix}__rootdirs__` || k === `${prefix}meta/sizes`);
  for (const k of points) await store.delete(k);
  await store.commit();
  for (const k of keys) if (!points.includes(k)) await store.delete(k);
  await store.commit();
}

/**
 * Prepares `prefix` for creating a container: mode "w" deletes what is there, mode "a" refuses
 * an existing carray or ctable (ERR_BAD_ARGUMENT). Call with the writer lock held.
 *
 * @example
 * await prepareCreate(store, "t/", "a");
 */
export async function prepareCreate(store: Store, prefix: string, mode: "a" | "w"): Promise<void> {
  if (mode === "w") {
    await wipePrefix(store, prefix);
    return;
  }
  const existing = await detectContainer(store, prefix);
  if (existing !== undefined) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `${where(store, prefix)} already holds a ${existing}; open it with mode "a" or create with mode "w"`,
    );
  }
}
